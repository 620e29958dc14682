/** Functions over dynamic values (JSON arrays and property bags, stored as jsonb). */
import type { Impls } from "./call";

export const dynamicImpls: Impls = {};
