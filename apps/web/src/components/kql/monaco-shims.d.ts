// Monaco's editor core without its bundled languages (the Kusto language comes from @kusto/monaco-kusto): the module
// has no typings of its own, and exports what editor.api does.
declare module "monaco-editor/esm/vs/editor/edcore.main" {
  export * from "monaco-editor/esm/vs/editor/editor.api";
}
