/**
 * Loads Microsoft's Kusto.Language (compiled to JavaScript with Bridge.NET) and gives it a thin typed face.
 * The library defines the globals `Bridge`, `System` and `Kusto`; nothing else in Vaultwatch uses those names.
 */
/// <reference types="@kusto/language-service-next" />
import "@kusto/language-service-next/bridge.min.js";
import "@kusto/language-service-next/Kusto.Language.Bridge.min.js";

export const K = Kusto.Language;
export const Syn = Kusto.Language.Syntax;
export const SK = Kusto.Language.Syntax.SyntaxKind;
export const Sym = Kusto.Language.Symbols;

export type KSyntax = Kusto.Language.Syntax.SyntaxNode;
export type KExpr = Kusto.Language.Syntax.Expression;
export type KCode = Kusto.Language.KustoCode;
export type KTable = Kusto.Language.Symbols.TableSymbol;
export type KTypeSymbol = Kusto.Language.Symbols.TypeSymbol;

// Runtime helpers the shipped typings leave out.
type BridgeRuntime = { toArray(list: unknown): unknown[] };
type SystemRuntime = { Enum: { getName(enumType: unknown, value: number): string } };
const B = (globalThis as unknown as { Bridge: BridgeRuntime }).Bridge;
const Sys = (globalThis as unknown as { System: SystemRuntime }).System;

export const kindName = (k: Kusto.Language.Syntax.SyntaxKind): string => Sys.Enum.getName(SK, k);

/** Every Kusto list (including the plain `[]` an empty result can be) as a JS array. */
export function toArray<T>(list: { Count?: number } | T[] | null | undefined): T[] {
  return list ? (B.toArray(list) as T[]) : [];
}

/** The elements of a separated list (`a, b, c`). */
export function elems<T>(list: Kusto.Language.Syntax.SyntaxList$1<Kusto.Language.Syntax.SeparatedElement$1<T>> | null): T[] {
  return toArray<Kusto.Language.Syntax.SeparatedElement$1<T>>(list).map((se) => se.Element$1 as T);
}

/** 1-based line and column of a text position. */
export function lineCol(code: KCode, pos: number): { line: number; column: number } {
  const line = { v: 0 };
  const col = { v: 0 };
  code.TryGetLineAndOffset(pos, line, col);
  return { line: line.v, column: col.v };
}

let warmed = false;
/** The first parse pays a ~1 s static initialisation; call this at process start to keep it off a request. */
export function warmUp(): void {
  if (warmed) return;
  K.KustoCode.Parse("print 1");
  warmed = true;
}
