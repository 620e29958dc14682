/** Reading and writing the file: YAML 1.2 (`yaml` package), syntax errors with line and column, no duplicate keys. */
import { readFileSync } from "node:fs";
import { Document, LineCounter, parseDocument } from "yaml";
import { CliError, CliErrors } from "../../errors";
import { fileParts, fileSchema, joinPath, stripFieldName, type RulesFile } from "./format";

export function readText(path: string, field = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CliError(field, code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}`);
  }
}

/** Parses YAML text into plain data; every syntax problem is reported as `<file>:<line>:<column>`. */
export function parseYaml(text: string, name: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new CliErrors(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { field: `${name}:${pos.line}:${pos.col}`, message: e.message.split("\n")[0] ?? "invalid YAML" };
      }),
    );
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** The file's envelope checked (tenant, the three lists); the entries are checked by the engine. */
export function toRulesFile(data: unknown): RulesFile {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new CliError("file", "must be a mapping with tenant, actionGroups, rules and silences");
  const parsed = fileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new CliErrors(
    parsed.error.issues.flatMap((issue) => {
      if (issue.code === "unrecognized_keys")
        return issue.keys.map((k) => ({ field: joinPath("", [...fileParts(issue.path), k]), message: "unknown field (expected tenant, actionGroups, rules, silences)" }));
      const parts = fileParts(issue.path);
      return { field: joinPath("", parts) || "file", message: stripFieldName(parts, issue.message) };
    }),
  );
}

export function loadRulesFile(path: string): RulesFile {
  return toRulesFile(parseYaml(readText(path), path));
}

/** YAML for people: block scalars for multi-line queries, no line folding, a comment on top. */
export function toYaml(value: unknown, comment?: string): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment;
  return doc.toString({ lineWidth: 0, blockQuote: "literal" });
}
