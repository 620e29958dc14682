export { compileKql, MAX_QUERY_LENGTH, type CompiledQuery, type CompileOptions } from "./compile";
export { KqlError, type KqlErrorKind, type KqlPosition } from "./errors";
export { warmUp } from "./kusto";
export { visibleColumns } from "./schema";
export { pgTypeOf } from "./types";
export { cellJsonSql } from "./output";
