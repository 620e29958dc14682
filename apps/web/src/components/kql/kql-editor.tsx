"use client";

import Editor, { loader, type OnMount } from "@monaco-editor/react";
import { useEffect, useRef, useState } from "react";
import type { TableSchema } from "@vaultwatch/schemas";
import { applySchema, monaco } from "./kusto-setup";
import type { QueryProblem } from "./problems";

// the editor from this bundle; without this the loader fetches Monaco from a CDN
loader.config({ monaco });

export type KqlEditorProps = {
  value: string;
  onChange: (value: string) => void;
  /** The tables and columns completion offers and diagnostics check against (logs.schema). */
  tables?: readonly TableSchema[];
  /** Ctrl/Cmd+Enter. */
  onRun?: () => void;
  /** The server's verdict on the last run or save, shown where it points until the text changes. */
  serverProblem?: QueryProblem | null;
  /** Told whenever the language service's own diagnostics change. */
  onProblems?: (problems: QueryProblem[]) => void;
  height?: number;
  ariaLabel?: string;
  invalid?: boolean;
};

const SERVER_OWNER = "vaultwatch";

export default function KqlEditor({ value, onChange, tables, onRun, serverProblem, onProblems, height = 220, ariaLabel = "KQL query", invalid }: KqlEditorProps) {
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onRunRef = useRef(onRun);
  const onProblemsRef = useRef(onProblems);
  useEffect(() => {
    onRunRef.current = onRun;
    onProblemsRef.current = onProblems;
  });

  const onMount: OnMount = (mounted) => {
    mounted.addAction({
      id: "vaultwatch.run-query",
      label: "Run query",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => onRunRef.current?.(),
    });
    setEditor(mounted);
  };

  // the workspace's schema: completion of its tables and columns, and "does not refer to any known column" inline
  useEffect(() => {
    const model = editor?.getModel();
    if (!model || !tables) return;
    void applySchema(model, tables);
  }, [editor, tables]);

  // the language service's markers, for the parent (a count, a list under the editor)
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    const report = () => {
      const markers = monaco.editor.getModelMarkers({ resource: model.uri, owner: "kusto" });
      onProblemsRef.current?.(
        markers
          .filter((m) => m.severity === monaco.MarkerSeverity.Error)
          .map((m) => ({ message: m.message, line: m.startLineNumber, column: m.startColumn })),
      );
    };
    const sub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === model.uri.toString())) report();
    });
    return () => sub.dispose();
  }, [editor]);

  // the server's error where it points, gone at the next edit (the next run judges again)
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    if (!serverProblem?.line) {
      monaco.editor.setModelMarkers(model, SERVER_OWNER, []);
      return;
    }
    const line = Math.min(serverProblem.line, model.getLineCount());
    const column = Math.max(1, serverProblem.column ?? 1);
    const word = model.getWordAtPosition({ lineNumber: line, column });
    monaco.editor.setModelMarkers(model, SERVER_OWNER, [
      {
        severity: monaco.MarkerSeverity.Error,
        message: serverProblem.message,
        startLineNumber: line,
        startColumn: word?.startColumn ?? column,
        endLineNumber: line,
        endColumn: word?.endColumn ?? model.getLineMaxColumn(line),
      },
    ]);
    const sub = model.onDidChangeContent(() => monaco.editor.setModelMarkers(model, SERVER_OWNER, []));
    return () => sub.dispose();
  }, [editor, serverProblem]);

  return (
    <div
      data-testid="kql-editor"
      className={`overflow-hidden rounded-md border bg-white focus-within:ring-2 focus-within:ring-blue-500/30 ${invalid ? "border-red-400" : "border-zinc-300"}`}
    >
      <Editor
        height={height}
        language="kusto"
        theme="kusto-light"
        value={value}
        onChange={(v) => onChange(v ?? "")}
        onMount={onMount}
        loading={<div className="p-3 text-xs text-zinc-500">Loading the KQL editor…</div>}
        options={{
          ariaLabel,
          minimap: { enabled: false },
          fontSize: 13,
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          wordWrap: "off",
          automaticLayout: true,
          fixedOverflowWidgets: true,
          renderLineHighlight: "none",
          padding: { top: 8, bottom: 8 },
          tabSize: 4,
          suggest: { showStatusBar: false },
        }}
      />
    </div>
  );
}
