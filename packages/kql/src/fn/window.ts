/** Window functions of serialized rows (row_number, prev, next, row_cumsum). */
import type { Impls } from "./call";

export const windowImpls: Impls = {};
