/**
 * `@vaultwatch/kql/runtime`: what a process needs to run queries a compile thread compiled, without loading
 * Kusto.Language (314 ms of CPU and 52 MB on a main thread that never parses KQL): errors, the text bounds checked
 * before a compile, binding a template's run values, and the SQL of result cells. `@vaultwatch/kql` is the compiler.
 */
export { KqlError, type KqlErrorData, type KqlErrorKind, type KqlPosition } from "./errors";
export { checkQueryText, MAX_NESTING_DEPTH, MAX_QUERY_LENGTH } from "./limits";
export { bindTemplate, type CompiledQuery, type CompiledTemplate } from "./template";
export type { CompileOptions, TemplateOptions } from "./context";
export { cellJsonSql } from "./output";
