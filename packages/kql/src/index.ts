export {
  bindTemplate,
  compileKql,
  compileTemplate,
  templateKey,
  templateOptions,
  type CompiledQuery,
  type CompiledTemplate,
  type CompileOptions,
  type TemplateOptions,
} from "./compile";
export { KqlError, type KqlErrorData, type KqlErrorKind, type KqlPosition } from "./errors";
export { checkQueryText, MAX_NESTING_DEPTH, MAX_QUERY_LENGTH } from "./limits";
export { warmUp } from "./kusto";
export { visibleColumns } from "./schema";
export { pgTypeOf } from "./types";
export { cellJsonSql } from "./output";
