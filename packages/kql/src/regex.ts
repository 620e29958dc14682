/**
 * Kusto's regular expressions are RE2; Postgres speaks its own "advanced" dialect (ARE). This module rewrites an RE2
 * pattern into an ARE that matches the same strings, and refuses what it cannot rewrite faithfully.
 *
 * Differences handled here (RE2 syntax: https://github.com/google/re2/wiki/Syntax, Postgres: "POSIX Regular
 * Expressions" in the manual):
 * - `.` never matches "\n" in RE2 (without the s flag); in an ARE it does. → `[^\n]`.
 * - `\d \w \s` are ASCII in RE2, locale classes in Postgres → explicit ASCII sets, also inside brackets (where
 *   Postgres reads `\D \W \S` as errors). POSIX `[:alpha:]` classes are ASCII in RE2 too → explicit sets.
 * - `\b`/`\B` (an ASCII word boundary) become lookarounds on [0-9A-Za-z_] (an ARE's `\b` means backspace, and its
 *   `\y` counts accented letters as word characters). `\z` is `\Z`. `\x41` takes
 *   exactly two digits in RE2, any number in an ARE → `\u0041`.
 * - `(?P<name>re)` / `(?<name>re)` are plain groups in an ARE (names are kept for the caller).
 * - Flags: `(?i)`, `(?m)`, `(?s)` at the start become ARE embedded options or change the rewriting; flags anywhere
 *   else, `(?U)` and negated flags are refused.
 * - Matching semantics: RE2 is leftmost-first (the first alternative that succeeds wins, lazy quantifiers are lazy
 *   one by one); Postgres is leftmost-longest with one greediness for the whole pattern. A yes/no match is the same
 *   either way, but what a match spans can differ. For uses that read the match (extract, replace, countof) patterns
 *   whose span could differ are refused: alternatives that are not plain, prefix-free words, and lazy quantifiers
 *   mixed with greedy ones.
 */

import type { CompileContext, Scalar } from "./context";
import { kindName, type KExpr } from "./kusto";
import { stringLiteralValue } from "./scalar";

/** "match": only whether the pattern matches anywhere. "capture": the span and groups of each match are read. */
export type RegexUse = "match" | "capture";

export type PgRegex = {
  /** The ARE source, with any embedded options in front. */
  source: string;
  /** Number of capturing groups. */
  groups: number;
  /** The name of each capturing group (index 0 is group 1), undefined when unnamed. */
  names: (string | undefined)[];
  /** The ARE without its embedded options, and the options (`(?i)`), for callers that wrap the pattern. */
  body: string;
  options: string;
  /** Whether any quantifier is lazy (a wrapper adding a greedy one would change what matches). */
  lazy: boolean;
  /** Whether the pattern has a `|` outside any group (a caller splicing it into a longer pattern must group it). */
  alternation: boolean;
};

/** Why a pattern cannot be used: `invalid` when RE2 itself rejects it, `unsupported` when only we cannot translate it. */
export class RegexProblem extends Error {
  constructor(
    readonly kind: "invalid" | "unsupported",
    message: string,
  ) {
    super(message);
  }
}

const invalid = (m: string) => new RegexProblem("invalid", m);
const unsupported = (m: string) => new RegexProblem("unsupported", m);

const DIGIT = "0-9";
const WORD = "0-9A-Za-z_";
const SPACE = "\\t\\n\\f\\r ";
// RE2's ASCII POSIX classes, written as bracket contents with every special character escaped
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\u0000-\\u007F",
  blank: "\\t ",
  cntrl: "\\u0000-\\u001F\\u007F",
  digit: DIGIT,
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@\\[-`{-~",
  space: "\\t\\n\\u000B\\f\\r ",
  upper: "A-Z",
  word: WORD,
  xdigit: "0-9A-Fa-f",
};
// RE2's \b is an ASCII word boundary; the ARE's \y would count accented letters as word characters
const W = `[${WORD}]`;
const WORD_BOUNDARY = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
const NOT_WORD_BOUNDARY = `(?:(?<=${W})(?=${W})|(?<!${W})(?!${W}))`;
const SIMPLE_ESCAPES: Record<string, string> = { a: "\\a", f: "\\f", t: "\\t", n: "\\n", r: "\\r", v: "\\v" };
// Postgres limits a bound to 255 (RE_DUP_MAX); RE2 allows 1000
const MAX_REPEAT = 255;

const hex4 = (cp: number) => (cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`);
/** A literal character as ARE text (outside or inside brackets: the escape works in both). */
const literalChar = (ch: string) => (/[\\^$.[\]()|*+?{}-]/.test(ch) ? `\\${ch}` : ch);

type Flags = { i: boolean; m: boolean; s: boolean };

/** One nesting level of the pattern (the whole pattern or a group), to judge its alternatives. */
/** `start`/`groupsBefore`: where the level's group opened in the output, and how many groups opened before it. */
type Level = { branches: (string | null)[]; literal: string | null; start: number; groupsBefore: number };

export type TranslateOptions = {
  /** RE2's U flag (parse kind=regex flags=U): `*` is lazy and `*?` greedy, for every quantifier. */
  ungreedy?: boolean;
  /**
   * Put every quantified atom outside groups in a capture group of its own. Postgres settles each group's span by
   * that group's own greediness, earlier groups first, which is how RE2 settles a sequence of quantifiers one at a
   * time; so lazy and greedy quantifiers may then be mixed at the top level (parse's regex delimiters).
   */
  isolateQuantifiers?: boolean;
};

export function translateRegex(pattern: string, use: RegexUse, options: TranslateOptions = {}): PgRegex {
  return new Translator(pattern, use, options).run();
}

class Translator {
  private i = 0;
  private out = "";
  private readonly flags: Flags = { i: false, m: false, s: false };
  private readonly names: (string | undefined)[] = [];
  private greedy = 0;
  private lazy = 0;
  // quantifiers whose greediness Postgres would merge (all of them, unless isolated): mixing these is refused
  private mergedGreedy = 0;
  private mergedLazy = 0;
  private readonly levels: Level[] = [{ branches: [], literal: "", start: 0, groupsBefore: 0 }];
  // the last top-level atom's start in the output and the groups opened before it (to isolate its quantifier)
  private atomStart = 0;
  private atomGroupsBefore = 0;
  // whether the last thing written can take a quantifier
  private canRepeat = false;

  constructor(
    private readonly p: string,
    private readonly use: RegexUse,
    private readonly options: TranslateOptions,
  ) {}

  run(): PgRegex {
    this.leadingFlags();
    while (this.i < this.p.length) this.step();
    if (this.levels.length > 1) throw invalid("missing closing )");
    this.endLevel(this.levels[0]!);
    if (this.use === "capture" && this.mergedLazy > 0 && this.mergedGreedy > 0) {
      throw unsupported("a regular expression mixing lazy and greedy quantifiers (Postgres gives the whole match one greediness)");
    }
    const letters = `${this.flags.i ? "i" : ""}${this.flags.m ? "w" : ""}`;
    const options = letters ? `(?${letters})` : "";
    return { source: options + this.out, body: this.out, options, groups: this.names.length, names: this.names, lazy: this.lazy > 0, alternation: this.levels[0]!.branches.length > 0 };
  }

  private leadingFlags() {
    for (;;) {
      const m = /^\(\?([a-zA-Z-]*)\)/.exec(this.p.slice(this.i));
      if (!m) return;
      for (const f of m[1]!) {
        if (f === "i" || f === "m" || f === "s") this.flags[f] = true;
        else if (f === "U" || f === "-") throw unsupported(`the regular expression flag '${f}'`);
        else throw invalid(`unknown regular expression flag '${f}'`);
      }
      this.i += m[0].length;
    }
  }

  private get level(): Level {
    return this.levels[this.levels.length - 1]!;
  }

  /** Append an atom; `literal` is its text when it is one plain character (to judge alternatives). */
  private atom(sql: string, literal: string | null) {
    if (this.levels.length === 1) {
      this.atomStart = this.out.length;
      this.atomGroupsBefore = this.names.length;
    }
    this.out += sql;
    const l = this.level;
    l.literal = l.literal !== null && literal !== null ? l.literal + literal : null;
    this.canRepeat = true;
  }

  private step() {
    const ch = this.p[this.i]!;
    this.i += 1;
    switch (ch) {
      case "\\":
        return this.escape();
      case ".":
        return this.atom(this.flags.s ? "." : "[^\\n]", null);
      case "[":
        return this.atom(this.bracket(), null);
      case "(":
        return this.open();
      case ")":
        return this.close();
      case "|":
        this.level.branches.push(this.level.literal);
        this.level.literal = "";
        this.out += "|";
        this.canRepeat = false;
        return;
      case "*":
      case "+":
      case "?":
        return this.quantifier(ch);
      case "{": {
        const m = /^(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
        if (!m) return this.atom("\\{", "{"); // RE2 reads a brace that is not a repetition literally
        this.i += m[0].length;
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : m[3] === "" ? Infinity : Number(m[3]);
        if (lo > 1000 || (hi !== Infinity && (hi > 1000 || hi < lo))) throw invalid(`bad repetition {${m[0]}`);
        if (lo > MAX_REPEAT || (hi !== Infinity && hi > MAX_REPEAT)) throw unsupported(`a repetition count above ${MAX_REPEAT} in a regular expression`);
        return this.quantifier(`{${m[0]}`, lo === hi);
      }
      case "^":
      case "$":
        this.out += ch;
        this.level.literal = null;
        this.canRepeat = false;
        return;
      default:
        return this.atom(literalChar(ch), ch);
    }
  }

  private quantifier(q: string, fixed = false) {
    if (!this.canRepeat) throw invalid(`missing argument to repetition operator '${q}'`);
    let lazy = this.p[this.i] === "?";
    if (lazy) this.i += 1;
    const written = lazy ? `${q}?` : q;
    // under U the suffix means the opposite; a fixed count matches one length either way
    if (this.options.ungreedy && !fixed) lazy = !lazy;
    const text = fixed ? written : lazy ? `${q}?` : q;
    const isolate = this.options.isolateQuantifiers === true && this.levels.length === 1 && !fixed;
    if (!fixed) {
      if (lazy) this.lazy += 1;
      else this.greedy += 1;
      if (!isolate && lazy) this.mergedLazy += 1;
      if (!isolate && !lazy) this.mergedGreedy += 1;
    }
    if (this.p[this.i] === "*" || this.p[this.i] === "+" || this.p[this.i] === "?") throw invalid(`bad repetition operator '${written}${this.p[this.i]}'`);
    if (isolate) {
      this.out = `${this.out.slice(0, this.atomStart)}(${this.out.slice(this.atomStart)}${text})`;
      this.names.splice(this.atomGroupsBefore, 0, undefined);
    } else {
      this.out += text;
    }
    this.level.literal = null;
    this.canRepeat = false;
  }

  private open() {
    const rest = this.p.slice(this.i);
    let capture = true;
    let name: string | undefined;
    if (rest.startsWith("?")) {
      const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        name = named[1];
        this.i += named[0].length;
      } else if (rest.startsWith("?:")) {
        capture = false;
        this.i += 2;
      } else if (/^\?<?[=!]/.test(rest)) {
        throw invalid("lookaround assertions (RE2 has none)");
      } else {
        throw unsupported("regular expression flags other than at the start of the pattern");
      }
    }
    const start = { start: this.out.length, groupsBefore: this.names.length };
    if (capture) {
      if (name !== undefined && this.names.includes(name)) throw invalid(`duplicate capture group name '${name}'`);
      this.names.push(name);
    }
    this.out += capture ? "(" : "(?:";
    this.levels.push({ branches: [], literal: "", ...start });
    this.canRepeat = false;
  }

  private close() {
    if (this.levels.length === 1) throw invalid("unexpected )");
    const l = this.levels.pop()!;
    this.endLevel(l);
    this.out += ")";
    if (this.levels.length === 1) {
      this.atomStart = l.start;
      this.atomGroupsBefore = l.groupsBefore;
    }
    // a group's text counts as literal for its parent only when it has no alternatives
    const literal = l.branches.length === 0 ? l.literal : null;
    const parent = this.level;
    parent.literal = parent.literal !== null && literal !== null ? parent.literal + literal : null;
    this.canRepeat = true;
  }

  /** Alternatives are safe to read a span from when at most one of them can match at any position. */
  private endLevel(l: Level) {
    if (l.branches.length === 0 || this.use === "match") return;
    const all = [...l.branches, l.literal].map((b) => (b !== null && this.flags.i ? b.toLowerCase() : b));
    const prefixFree = all.every((a, x) => a !== null && a !== "" && all.every((b, y) => x === y || (b !== null && !b.startsWith(a))));
    if (!prefixFree) {
      throw unsupported("alternatives in a regular expression other than distinct plain words (Postgres prefers the longest alternative, Kusto the first)");
    }
  }

  private escape() {
    const c = this.p[this.i];
    if (c === undefined) throw invalid("trailing \\");
    this.i += 1;
    switch (c) {
      case "d":
        return this.atom(`[${DIGIT}]`, null);
      case "D":
        return this.atom(`[^${DIGIT}]`, null);
      case "w":
        return this.atom(`[${WORD}]`, null);
      case "W":
        return this.atom(`[^${WORD}]`, null);
      case "s":
        return this.atom(`[${SPACE}]`, null);
      case "S":
        return this.atom(`[^${SPACE}]`, null);
      case "b":
      case "B":
        this.out += c === "b" ? WORD_BOUNDARY : NOT_WORD_BOUNDARY;
        this.level.literal = null;
        this.canRepeat = false;
        return;
      case "A":
      case "z":
        this.out += c === "A" ? "\\A" : "\\Z";
        this.level.literal = null;
        this.canRepeat = false;
        return;
      case "Q": {
        const end = this.p.indexOf("\\E", this.i);
        const text = this.p.slice(this.i, end < 0 ? undefined : end);
        this.i = end < 0 ? this.p.length : end + 2;
        for (const ch of text) this.atom(literalChar(ch), ch);
        return;
      }
      case "x": {
        const cp = this.hexEscape();
        return this.atom(hex4(cp), String.fromCodePoint(cp));
      }
      case "p":
      case "P":
        throw unsupported("Unicode classes (\\p, \\P) in a regular expression");
      case "C":
        throw unsupported("\\C (any byte) in a regular expression");
      default:
        if (SIMPLE_ESCAPES[c]) return this.atom(SIMPLE_ESCAPES[c], null);
        if (/[0-9]/.test(c)) throw unsupported("numeric escapes (octal or backreferences) in a regular expression");
        if (/[A-Za-z]/.test(c)) throw invalid(`invalid escape sequence \\${c}`);
        return this.atom(literalChar(c), c);
    }
  }

  /** After `\x`: two hex digits, or `{hex}`. */
  private hexEscape(): number {
    const braced = /^\{([0-9A-Fa-f]{1,8})\}/.exec(this.p.slice(this.i));
    const two = /^[0-9A-Fa-f]{2}/.exec(this.p.slice(this.i));
    const m = braced ?? two;
    if (!m) throw invalid("invalid \\x escape");
    this.i += m[0].length;
    const cp = parseInt(braced ? braced[1]! : two![0], 16);
    if (cp > 0x10ffff) throw invalid("invalid \\x escape");
    return cp;
  }

  /** A bracket expression, from after `[` to after its `]`. */
  private bracket(): string {
    let body = "";
    let negate = false;
    if (this.p[this.i] === "^") {
      negate = true;
      this.i += 1;
    }
    let first = true;
    for (;;) {
      const ch = this.p[this.i];
      if (ch === undefined) throw invalid("missing closing ]");
      if (ch === "]" && !first) {
        this.i += 1;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
      if (posix) {
        if (posix[1]) throw unsupported("negated POSIX classes ([:^name:]) in a regular expression");
        const set = POSIX[posix[2]!];
        if (!set) throw invalid(`unknown character class [:${posix[2]}:]`);
        body += set;
        this.i += posix[0].length;
        continue;
      }
      const lo = this.classChar();
      if (lo.set !== undefined) {
        body += lo.set;
        continue;
      }
      if (this.p[this.i] === "-" && this.p[this.i + 1] !== undefined && this.p[this.i + 1] !== "]") {
        this.i += 1;
        const hi = this.classChar();
        if (hi.set !== undefined) throw invalid("bad character class range");
        if (hi.cp! < lo.cp!) throw invalid("bad character class range");
        body += `${lo.text}-${hi.text}`;
        continue;
      }
      body += lo.text;
    }
    // `[^...]` matches "\n" in RE2 and in a non-newline-sensitive ARE alike
    return `[${negate ? "^" : ""}${body}]`;
  }

  /** One member of a bracket expression: a character (as ARE text and code point) or a whole set (`\d`). */
  private classChar(): { text?: string; cp?: number; set?: string } {
    const ch = String.fromCodePoint(this.p.codePointAt(this.i)!);
    this.i += ch.length;
    if (ch !== "\\") return { text: literalChar(ch), cp: ch.codePointAt(0)! };
    const c = this.p[this.i];
    if (c === undefined) throw invalid("trailing \\");
    this.i += 1;
    if (c === "d") return { set: DIGIT };
    if (c === "w") return { set: WORD };
    if (c === "s") return { set: SPACE };
    if (c === "D" || c === "W" || c === "S") throw unsupported(`\\${c} inside brackets in a regular expression`);
    if (c === "p" || c === "P") throw unsupported("Unicode classes (\\p, \\P) in a regular expression");
    if (c === "x") {
      const cp = this.hexEscape();
      return { text: hex4(cp), cp };
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return { text: SIMPLE_ESCAPES[c], cp: simple[c] };
    if (/[0-9]/.test(c)) throw unsupported("numeric escapes (octal) in a regular expression");
    if (/[A-Za-z]/.test(c)) throw invalid(`invalid escape sequence \\${c} in a character class`);
    return { text: literalChar(c), cp: c.codePointAt(0)! };
  }
}

/** A regex argument's value when it is a constant string: a literal, or a `let` bound to one. */
export function constantString(ctx: CompileContext, node: KExpr, compiled?: Scalar): string | null {
  const kind = kindName(node.Kind);
  if (kind === "StringLiteralExpression" || kind === "CompoundStringLiteralExpression") return stringLiteralValue(node);
  const param = compiled && /^\$(\d+)::text$/.exec(compiled.sql);
  const value = param ? ctx.params.values[Number(param[1]) - 1] : undefined;
  return typeof value === "string" ? value : null;
}

/**
 * The ARE for a regex argument, as a bound parameter. Kusto compiles the pattern once per query, so it must be a
 * constant here too; a pattern RE2 rejects is a semantic error, one we cannot translate is "not supported".
 */
export function regexArg(
  ctx: CompileContext,
  node: KExpr,
  use: RegexUse,
  compiled?: Scalar,
  wrap: (re: PgRegex) => string = (re) => re.source,
): { sql: string; re: PgRegex } {
  const text = constantString(ctx, node, compiled);
  if (text === null) throw ctx.unsupported("a regular expression that is not a constant string", node);
  try {
    const re = translateRegex(text, use);
    return { sql: ctx.params.add(wrap(re), "text"), re };
  } catch (err) {
    if (!(err instanceof RegexProblem)) throw err;
    if (err.kind === "invalid") throw ctx.semantic(`invalid regular expression '${text}': ${err.message}`, node);
    throw ctx.unsupported(err.message, node);
  }
}
