// Source analysis of JS module text (tc39/proposal-esm-phase-imports, the
// analysis API of spec.emu at e68f931, on today's ECMA-262 module records).
//
// Two tiers, so loading stays cheap:
// - lexModule() runs on every module load. It uses es-module-lexer only and
//   returns [[RequestedModules]] (imports()), whether import.meta is used,
//   and the positions of every import for the loader.
// - moduleExports() and hasTopLevelAwait() run only when someone asks. They
//   need a real parse (acorn), because the lexer cannot tell which bindings
//   are imported or whether an `await` sits inside a function.
//
// Offsets are UTF-16 code unit offsets into the text; lines and columns in
// errors are 1-based, lines split at LF, CR, CRLF, U+2028 and U+2029.

import { createRequire } from '../builtins.js';
import { parse as lexMinimal, type ImportSpecifier as MinimalRecord } from 'es-module-lexer/minimal';
import type { Node, Pattern, Program } from 'acorn';
import { acorn } from './acorn.js';
import { InvalidArgumentError, ModuleSyntaxError } from '../errors.js';
import { engineSyntaxMessage, locate, syntaxPosition } from '../diagnostics/syntax-position.js';
import type { ImportPhase, ModuleExport, ModuleImport, Reexport } from './analysis.js';

// The lexer's Wasm is compiled by the first parse, synchronously (a few
// hundred microseconds). es-module-lexer's own `await init()` compiles it on
// a background thread instead, and start-up then waits for that thread: on a
// busy machine, several milliseconds of an empty `canon run`.

/** Where one static `import`/`export ... from` statement is, for the loader. */
export interface StaticImportSite {
  /** Index into LexResult.imports of the request this statement makes. */
  request: number;
  phase: ImportPhase;
  /** The specifier literal's contents, quotes excluded. */
  specifierStart: number;
  specifierEnd: number;
  /** True when text.slice(specifierStart, specifierEnd) is the specifier itself (no escapes): its bytes can be interned in place. */
  verbatim: boolean;
  /** From `import`/`export` to the end of the specifier or of `with { ... }` (the `;` excluded). */
  statementStart: number;
  statementEnd: number;
}

/** Where one `import(...)`, `import.source(...)` or `import.defer(...)` is. */
export interface DynamicImportSite {
  phase: ImportPhase;
  /** The specifier when the first argument is a plain string literal, else undefined. */
  specifier: string | undefined;
  /** The whole call expression. */
  start: number;
  end: number;
  /** The `(`: text.slice(start, openParen) is `import`, `import.source` or `import.defer` (comments included). */
  openParen: number;
  /** The first argument as written (a literal keeps its quotes). */
  argumentStart: number;
  argumentEnd: number;
  /** Start of the options argument, or -1. */
  optionsStart: number;
}

export interface LexResult {
  /** [[RequestedModules]]: static requests deduplicated by (specifier, attributes, phase), first occurrence order. */
  readonly imports: readonly ModuleImport[];
  /**
   * Parallel to `imports`: where each request's specifier was first written
   * (literal contents, quotes excluded), for interning its bytes in place.
   * All or nothing: empty when any specifier is written with escapes, since
   * those characters are not the specifier.
   */
  readonly importPositions: readonly { start: number; end: number }[];
  /** Whether `import.meta` occurs anywhere, functions included (the spec's `body Contains ImportMeta`). */
  readonly importMeta: boolean;
  /** Every static import statement, in source order (not deduplicated). */
  readonly staticImports: readonly StaticImportSite[];
  /** Every dynamic import, in source order. */
  readonly dynamicImports: readonly DynamicImportSite[];
  /** Whether any import has a phase or a dynamic import has a non-literal argument: what lowering may rewrite (loader/lower.ts). */
  readonly lowerable: boolean;
}

// ---------------------------------------------------------------- fast path

const NOTHING_LEXED: LexResult = Object.freeze({
  imports: Object.freeze([]), importPositions: Object.freeze([]), importMeta: false,
  staticImports: Object.freeze([]), dynamicImports: Object.freeze([]), lowerable: false,
});

/**
 * lexModule's result for a text that never writes `import` or `export`
 * (keywords cannot be escaped, so it has no requests, import.meta or
 * import calls), or undefined when the text must be lexed. For a loader
 * about to compile the text: the engine reports its syntax errors, and the
 * lexer's Wasm is not compiled for a program that imports nothing.
 */
export function lexWithoutImports(text: string): LexResult | undefined {
  return text.includes('import') || text.includes('export') ? undefined : NOTHING_LEXED;
}

/**
 * Lexes a module: its requests, import.meta use and import positions.
 * Throws ModuleSyntaxError (with url, line, column) for text the lexer
 * rejects, and for the few errors this tier can see cheaply (duplicate
 * attribute keys, `assert { }`, malformed phase imports, TypeScript syntax).
 */
export function lexModule(text: string, url?: string): LexResult {
  requireText(text, 'lexModule');
  const { view, records } = runLexer(text, url);
  const imports: ModuleImport[] = [];
  // Request dedup: a scan of the few requests most modules have, a map past that.
  let requestIds: Map<string, number> | undefined;
  const importPositions: { start: number; end: number }[] = [];
  let allVerbatim = true;
  const staticImports: StaticImportSite[] = [];
  const dynamicImports: DynamicImportSite[] = [];
  let importMeta = false;
  // Indexed loops on this path: a for-of allocates an iterator result per step until the code is optimized.
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.d === -2) {
      importMeta = true;
    } else if (r.d >= 0) {
      dynamicImports.push({
        phase: dynamicPhase(r),
        // An interpolated template ("./x/${name}.js") has no specifier.
        specifier: r.n,
        start: r.ss,
        end: r.se,
        openParen: r.d,
        argumentStart: r.s,
        argumentEnd: r.e,
        optionsStart: r.a,
      });
    } else {
      // What follows `import`/`export`: read once for the checks below.
      const afterKeyword = skipTrivia(text, r.ss + 6);
      if (isTypeOnly(text, r, afterKeyword)) throw syntaxError('A type-only import is TypeScript, not JavaScript', text, r.ss, url);
      const phase = staticPhase(text, r, afterKeyword, url);
      const specifier = view !== text && differs(text, view, r.s, r.e) ? specifierFromSource(text, r.s, r.e, url) : r.n!;
      const attributes = r.a === -1 ? null : lexedAttributes(text, r, url);
      rejectAssertClause(text, r.se, url);
      // Every escape is longer than what it stands for, so equal lengths mean none.
      const verbatim = r.e - r.s === specifier.length;
      let request = findRequest(imports, requestIds, specifier, phase, attributes);
      if (request === undefined) {
        request = imports.length;
        imports.push({ specifier, phase, attributes });
        importPositions.push({ start: r.s, end: r.e });
        if (requestIds !== undefined) requestIds.set(requestKey(specifier, phase, attributes), request);
        else if (imports.length > MAX_SCANNED_REQUESTS) requestIds = requestIndex(imports);
        allVerbatim &&= verbatim;
      }
      staticImports.push({
        request,
        phase,
        specifierStart: r.s,
        specifierEnd: r.e,
        verbatim,
        statementStart: r.ss,
        statementEnd: r.se,
      });
    }
  }
  const lowerable = staticImports.some((site) => site.phase !== null)
    || dynamicImports.some((site) => site.phase !== null || site.specifier === undefined);
  // The result lives as long as its module: arrays grown by push keep room for 17 elements (at least), so
  // they are copied at their size (on the 10,000-module graph, about 3 MB less for each scavenge to copy).
  return {
    imports: fitted(imports),
    importPositions: allVerbatim ? fitted(importPositions) : [],
    importMeta,
    staticImports: fitted(staticImports),
    dynamicImports: fitted(dynamicImports),
    lowerable,
  };
}

/** The array itself when empty (no elements stored), else a copy of exactly its length. */
function fitted<T>(array: T[]): T[] {
  return array.length === 0 ? array : array.slice();
}

/**
 * One import the lexer found, in es-module-lexer's minimal-build shape:
 * `n` the specifier (undefined when not a plain literal), `t` the ImportType
 * (1 static, 2 dynamic, 3 import.meta, 4/5 static/dynamic source phase,
 * 6/7 static/dynamic defer phase), `s`/`e` the specifier literal (static: its
 * contents; dynamic: the first argument as written), `ss`/`se` the statement
 * or call expression, `d` the `(` of a dynamic import (-1 static, -2
 * import.meta), `a` the attributes' `{` or the options argument (-1 none).
 */
type LexRecord = MinimalRecord & {
  /** Set by the full build (the fallback); the minimal build's records are checked by isTypeOnly. */
  readonly typeOnly?: boolean;
};

let fullLexer: typeof import('es-module-lexer').parse | undefined;

/** es-module-lexer's full build, loaded on first use (its CommonJS build, which compiles its Wasm synchronously). */
function lexFull(): typeof import('es-module-lexer').parse {
  return (fullLexer ??= (createRequire(import.meta.url)('es-module-lexer') as typeof import('es-module-lexer')).parse);
}

/**
 * es-module-lexer's minimal build: the same lexer with terse records and no
 * export or attribute decoding, about half the cost per module of the full
 * build on a load path that never needs those (exports come from acorn, on
 * demand; attributes are read here, rarely).
 */
function lexRecords(view: string): readonly LexRecord[] {
  try {
    return lexMinimal(view)[0];
  } catch {
    // The minimal build (3.0.5) rejects some valid code the full build reads
    // (string import names with astral characters): ask the full build, which
    // is loaded and compiled on this first use (not at start-up: it is 46 kB
    // of canon run's code), and throws the error if there is one.
    return lexFull()(view)[0].map((e): LexRecord => {
      if (e.type === 'import-meta') return { n: undefined, t: 3, s: e.start, e: e.end, ss: e.importStart, se: e.importEnd, d: -2, a: -1 };
      if (e.type === 'dynamic') {
        const t = e.phase === 'source' ? 5 : e.phase === 'defer' ? 7 : 2;
        return { n: e.glob ? undefined : e.specifier, t, s: e.start, e: e.end, ss: e.importStart, se: e.importEnd, d: e.dynamicStart, a: e.attributesStart };
      }
      const t = e.phase === 'source' ? 4 : e.phase === 'defer' ? 6 : 1;
      return { n: e.specifier, t, s: e.start, e: e.end, ss: e.importStart, se: e.importEnd, d: -1, a: e.attributesStart, typeOnly: e.typeOnly };
    });
  }
}

function dynamicPhase(r: LexRecord): ImportPhase {
  return r.t === 5 ? 'source' : r.t === 7 ? 'defer' : null;
}

function lexedStaticPhase(r: LexRecord): ImportPhase {
  return r.t === 4 ? 'source' : r.t === 6 ? 'defer' : null;
}

/**
 * TypeScript's `import type X from`, `import type { X } from`, `import type * as X from`,
 * `export type { X } from` and `export type * from`; but `import type from "x"`
 * and `import type, { x } from "x"` are JavaScript (a binding named `type`).
 */
function isTypeOnly(text: string, r: LexRecord, at: number): boolean {
  if (r.typeOnly !== undefined) return r.typeOnly;
  if (text.charCodeAt(at) !== 116 /* t */ || !isWord(text, at, 'type')) return false;
  const next = skipTrivia(text, at + 4);
  const c = text[next];
  if (c === '{' || c === '*') return true;
  if (c === ',' || c === undefined || !isIdentifierPart(c.codePointAt(0)!) || /[0-9]/.test(c)) return false;
  if (!isWord(text, next, 'from')) return true;
  const after = text[skipTrivia(text, next + 4)];
  return after !== '"' && after !== "'";
}

// es-module-lexer only knows ASCII whitespace and U+00A0: any other
// WhiteSpace (a leading BOM, U+3000, ...) or U+2028/U+2029 between tokens
// makes it skip the statement silently (the import, or its `with`
// attributes, vanish). The lexer therefore reads a same-length view with
// those characters turned into ' ' and '\n'; values are read from the real
// text. The test is one regex scan, and real code almost never matches.
const UNUSUAL_SPACE = /[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

function runLexer(text: string, url: string | undefined): { view: string; records: readonly LexRecord[] } {
  let view = text;
  if (UNUSUAL_SPACE.test(text)) {
    view = text.replace(/[\u2028\u2029]/g, '\n').replace(/[\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/g, ' ');
  }
  for (;;) {
    try {
      return { view, records: lexRecords(view) };
    } catch (error) {
      const at = (error as { idx?: unknown }).idx;
      if (typeof at !== 'number') throw error; // not a lexing error
      // U+2028/U+2029 may stand inside a string literal (ES2019), where a '\n'
      // ends the string: the lexer stops right there, so put a space back.
      if (view !== text && view.charCodeAt(at) === 10 && isLsPs(text.charCodeAt(at))) {
        view = `${view.slice(0, at)} ${view.slice(at + 1)}`;
        continue;
      }
      // The lexer stops where it gives up, often lines after the error, and says only
      // "Parse error": the position from acorn, the message from the engine (Node's words).
      const located = syntaxPosition(text);
      if (located) {
        const message = engineSyntaxMessage(text, url) ?? located.message;
        const { line, column } = { ...located, ...locate(text, 'module', message) };
        throw new ModuleSyntaxError(message, { url, line, column }, { cause: error });
      }
      const message = String((error as Error).message ?? error).replace(/\s+\S*:\d+:\d+$/, '');
      throw syntaxError(message, text, at, url, error);
    }
  }
}

/**
 * The phase of a static import. The lexer reads `import source from from 'x'`
 * (a source import of a binding named `from`) as a default import named
 * `source`, so that one shape is recognised here; the lexer's `source` and
 * `defer` are checked for the binding shape the grammar allows.
 */
function staticPhase(text: string, r: LexRecord, i: number, url: string | undefined): ImportPhase {
  const lexed = lexedStaticPhase(r);
  if (lexed !== null) {
    phaseKeyword(text, r.ss, lexed, url);
    return lexed;
  }
  if (text.charCodeAt(i) !== 115 /* s */ || !text.startsWith('import', r.ss) || !isWord(text, i, 'source')) return null;
  const j = skipTrivia(text, i + 6);
  if (!isWord(text, j, 'from')) return null;
  return isWord(text, skipTrivia(text, j + 4), 'from') ? 'source' : null;
}

/** The `source`/`defer` keyword of a static phase import, its binding shape checked. */
function phaseKeyword(text: string, importStart: number, phase: 'source' | 'defer', url: string | undefined): { start: number; end: number } {
  const start = skipTrivia(text, importStart + 6);
  if (!isWord(text, start, phase)) throw syntaxError(`Expected \`import ${phase}\``, text, importStart, url);
  const end = start + phase.length;
  const next = text[skipTrivia(text, end)];
  if (phase === 'defer' && next !== '*') {
    throw syntaxError('`import defer` imports a namespace only: import defer * as ns from "..."', text, start, url);
  }
  if (phase === 'source' && (next === '{' || next === '*' || next === ',')) {
    throw syntaxError('`import source` takes one binding: import source x from "..."', text, start, url);
  }
  return { start, end };
}

/** Attributes as the spec's WithClauseToAttributes gives them: keys unique, sorted by code units. */
function lexedAttributes(text: string, r: LexRecord, url: string | undefined): ModuleImport['attributes'] {
  // Read from the text itself (the view may differ inside a string); escapes,
  // odd shapes and errors go to a real parse.
  const pairs = scanAttributes(text, r.a, r.se)
    ?? attributesFromSource(text, r.a, r.se, url);
  if (pairs.length === 0) return null;
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of pairs) {
    if (Object.hasOwn(out, key)) throw syntaxError(`Duplicate import attribute key ${JSON.stringify(key)}`, text, r.a, url);
    out[key] = value;
  }
  const sorted = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(out).sort(compareCodeUnits)) sorted[key] = out[key]!;
  return Object.freeze(sorted);
}

// Import assertions (`assert { type: 'json' }`, what Node 20 still accepts)
// were replaced by `with`. The lexer ends the statement before `assert` and
// drops the attributes without a word; in JS, `assert {` on one line right
// after an import is a syntax error. (Scanned by hand: a regex over runs of
// comments backtracks exponentially.)
function rejectAssertClause(text: string, end: number, url: string | undefined): void {
  if (text.charCodeAt(end) === 59 /* ; */) return; // the statement is closed
  const at = skipTrivia(text, end);
  if (text.charCodeAt(at) !== 97 /* a */ || !isWord(text, at, 'assert')) return;
  const brace = skipTrivia(text, at + 6);
  if (text[brace] === '{' && !/[\n\r\u2028\u2029]/.test(text.slice(at + 6, brace))) {
    throw syntaxError('Import assertions (`assert { ... }`) are not supported: use `with { ... }`', text, at, url);
  }
}

/**
 * `{ key: "value", ... }` from `start` (the `{`) to `end`, for the plain
 * shapes (identifier or string keys, string values, no escapes); undefined
 * for anything else, which the caller parses properly.
 */
function scanAttributes(text: string, start: number, end: number): [string, string][] | undefined {
  if (text[start] !== '{' || text.slice(start, end).includes('\\')) return undefined;
  const pairs: [string, string][] = [];
  let i = skipTrivia(text, start + 1);
  while (text[i] !== '}') {
    let key: string | undefined;
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0 || close >= end) return undefined;
      key = text.slice(i + 1, close);
      i = close + 1;
    } else {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i, Math.min(end, i + 64)));
      if (!match) return undefined;
      key = match[0];
      i += key.length;
    }
    i = skipTrivia(text, i);
    if (text[i] !== ':') return undefined;
    i = skipTrivia(text, i + 1);
    const q = text[i];
    if (q !== '"' && q !== "'") return undefined;
    const close = text.indexOf(q, i + 1);
    if (close < 0 || close >= end || /[\n\r\u2028\u2029]/.test(text.slice(i + 1, close))) return undefined;
    pairs.push([key, text.slice(i + 1, close)]);
    i = skipTrivia(text, close + 1);
    if (text[i] === ',') i = skipTrivia(text, i + 1);
    else if (text[i] !== '}') return undefined;
    if (i >= end) return undefined;
  }
  return pairs;
}

const MAX_SCANNED_REQUESTS = 16;

/** The index of the request equal to (specifier, phase, attributes) so far, if any. */
function findRequest(
  imports: readonly ModuleImport[], ids: Map<string, number> | undefined,
  specifier: string, phase: ImportPhase, attributes: ModuleImport['attributes'],
): number | undefined {
  if (ids !== undefined) return ids.get(requestKey(specifier, phase, attributes));
  for (let i = 0; i < imports.length; i++) {
    const other = imports[i]!;
    if (other.specifier === specifier && other.phase === phase && sameAttributes(other.attributes, attributes)) return i;
  }
  return undefined;
}

function requestIndex(imports: readonly ModuleImport[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (let i = 0; i < imports.length; i++) ids.set(requestKey(imports[i]!.specifier, imports[i]!.phase, imports[i]!.attributes), i);
  return ids;
}

/** Attributes from lexedAttributes (sorted, or null for none) compare entry by entry. */
function sameAttributes(a: ModuleImport['attributes'], b: ModuleImport['attributes']): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Equal keys for requests ModuleRequestsEqual calls equal and of the same phase (attributes are sorted already). */
function requestKey(specifier: string, phase: ImportPhase, attributes: ModuleImport['attributes']): string {
  // The short form starts with the phase and a NUL, the long one with '[': no clashes.
  return attributes === null ? `${phase ?? ''}\u0000${specifier}` : JSON.stringify([phase, specifier, Object.entries(attributes)]);
}

/** The exact value of a specifier literal, via a tiny acorn parse (rare path only). */
function specifierFromSource(text: string, start: number, end: number, url: string | undefined): string {
  const prefix = 'import';
  const program = parseOrThrow(prefix + text.slice(start - 1, end + 1), text, start - 1 - prefix.length, url);
  return (program.body[0] as unknown as { source: { value: string } }).source.value;
}

function attributesFromSource(text: string, start: number, end: number, url: string | undefined): [string, string][] {
  const prefix = 'import"x"with';
  const program = parseOrThrow(prefix + text.slice(start, end), text, start - prefix.length, url);
  const declaration = program.body[0] as unknown as { attributes: { key: Node; value: { value: string } }[] };
  return declaration.attributes.map((a) => [nameOf(a.key), a.value.value]);
}

// ---------------------------------------------------------------- lazy path

/**
 * The module's explicit exports, as %AbstractModuleSource%.prototype.exports()
 * orders them: direct exports (names sorted, then by first name), then
 * reexports by name, then reexport-alls by specifier.
 */
export function moduleExports(text: string, url?: string): ModuleExport[] {
  requireText(text, 'moduleExports');
  const { program, phases } = parseModule(text, url);

  // Imported bindings: what `export { local }` re-exports (ParseModule turns
  // such an export into an indirect entry, namespaces included).
  const imported = new Map<string, { import: string | null; from: string }>();
  for (const node of program.body) {
    if (node.type !== 'ImportDeclaration') continue;
    const from = String(node.source.value);
    const phase = phases.get(node.start);
    for (const s of node.specifiers) {
      const name = s.type === 'ImportSpecifier' ? nameOf(s.imported)
        : s.type === 'ImportDefaultSpecifier' && phase !== 'source' ? 'default'
        : null; // a namespace, a deferred namespace or a source: no single binding
      imported.set(s.local.name, { import: name, from });
    }
  }

  const direct = new Map<string, string[]>(); // local binding → export names
  const exportLocal = (local: string, name: string) => {
    const names = direct.get(local);
    if (names) names.push(name);
    else direct.set(local, [name]);
  };
  const reexports: Reexport[] = [];
  const stars: string[] = [];
  for (const node of program.body) {
    if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration) {
        for (const name of declaredNames(node.declaration)) exportLocal(name, name);
      } else if (node.source) {
        const from = String(node.source.value);
        for (const s of node.specifiers) reexports.push({ type: 'reexport', name: nameOf(s.exported), import: nameOf(s.local), from });
      } else {
        for (const s of node.specifiers) {
          const local = nameOf(s.local);
          const binding = imported.get(local);
          if (binding) reexports.push({ type: 'reexport', name: nameOf(s.exported), import: binding.import, from: binding.from });
          else exportLocal(local, nameOf(s.exported));
        }
      }
    } else if (node.type === 'ExportDefaultDeclaration') {
      const d = node.declaration;
      // A named function or class is an ordinary local binding; anything else is "*default*".
      const local = (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id ? d.id.name : '*default*';
      exportLocal(local, 'default');
    } else if (node.type === 'ExportAllDeclaration') {
      const from = String(node.source.value);
      if (node.exported) reexports.push({ type: 'reexport', name: nameOf(node.exported), import: null, from });
      else stars.push(from);
    }
  }

  const out: ModuleExport[] = [...direct.values()]
    .map((names) => names.sort(compareCodeUnits))
    .sort((a, b) => compareCodeUnits(a[0]!, b[0]!))
    .map((names) => ({ type: 'direct', names }));
  out.push(...reexports.sort((a, b) => compareCodeUnits(a.name, b.name)));
  // Not deduplicated: the spec lists every [[StarExportEntries]] entry.
  for (const from of stars.sort(compareCodeUnits)) out.push({ type: 'reexport-all', from });
  return out;
}

/**
 * Whether the module body Contains `await` (the spec's [[HasTLA]]): an
 * AwaitExpression, `for await` or `await using` outside every function,
 * arrow, method, class field initialiser and static block. Class heritage
 * and computed keys run at the top level, so they count.
 */
export function hasTopLevelAwait(text: string, url?: string): boolean {
  requireText(text, 'hasTopLevelAwait');
  // The keyword cannot be spelled with escapes, so no "await", no await.
  if (!text.includes('await')) return false;
  const stack: AnyNode[] = [parseModule(text, url).program as unknown as AnyNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'AwaitExpression':
        return true;
      case 'ForOfStatement':
        if (node.await === true) return true;
        break;
      case 'VariableDeclaration':
        if (node.kind === 'await using') return true;
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'StaticBlock':
        continue;
      case 'PropertyDefinition':
        // A field's initialiser runs per instance, later; a computed key runs now.
        if (node.computed === true) stack.push(node.key as AnyNode);
        continue;
    }
    // Iterative, so deeply nested (minified) code cannot overflow the stack.
    for (const key in node) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) stack.push(child);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
  }
  return false;
}

type AnyNode = { type: string; [key: string]: unknown };

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Parses with acorn, which has no phase imports yet: the lexer's positions
 * locate them and they are rewritten in place, every other character keeping
 * its offset (so acorn's positions are the text's). `import source x from`
 * loses its keyword and parses as a default import, `import defer * as ns
 * from` as a namespace import (the returned map remembers which was which),
 * and `import.source(` / `import.defer(` become `import       (`.
 */
function parseModule(text: string, url: string | undefined): { program: Program; phases: Map<number, 'source' | 'defer'> } {
  const phases = new Map<number, 'source' | 'defer'>();
  const blanks: [number, number][] = [];
  for (const r of runLexer(text, url).records) {
    if (r.d === -2) continue;
    if (r.d >= 0) {
      const phase = dynamicPhase(r);
      if (phase === null) continue;
      const dot = skipTrivia(text, r.ss + 6);
      const word = skipTrivia(text, dot + 1);
      if (text[dot] !== '.' || !isWord(text, word, phase) || skipTrivia(text, word + phase.length) !== r.d) {
        throw syntaxError(`Expected \`import.${phase}(\``, text, r.ss, url);
      }
      blanks.push([r.ss + 6, r.d]);
    } else {
      const phase = staticPhase(text, r, skipTrivia(text, r.ss + 6), url);
      if (phase === null) continue;
      const { start, end } = phaseKeyword(text, r.ss, phase, url);
      blanks.push([start, end]);
      phases.set(r.ss, phase);
    }
  }
  let code = text;
  if (blanks.length > 0) {
    blanks.sort((a, b) => a[0] - b[0]);
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of blanks) {
      // Comments inside may span lines: keep line terminators so lines stay put.
      parts.push(text.slice(at, start), text.slice(start, end).replace(/[^\n\r\u2028\u2029]/g, ' '));
      at = end;
    }
    parts.push(text.slice(at));
    code = parts.join('');
  }
  const program = parseOrThrow(code, text, 0, url);
  // The rewrite accepts shapes the grammar does not (`import source x, { y }`).
  for (const node of program.body) {
    if (node.type !== 'ImportDeclaration') continue;
    const phase = phases.get(node.start);
    if (phase === undefined) continue;
    const wanted = phase === 'source' ? 'ImportDefaultSpecifier' : 'ImportNamespaceSpecifier';
    if (node.specifiers.length !== 1 || node.specifiers[0]!.type !== wanted) {
      throw syntaxError(`Invalid \`import ${phase}\` declaration`, text, node.start, url);
    }
  }
  return { program, phases };
}

/** acorn over `code`, whose offset `shift` maps back into `text` for errors. */
function parseOrThrow(code: string, text: string, shift: number, url: string | undefined): Program {
  try {
    return acorn().parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (typeof pos !== 'number') throw error;
    const message = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '');
    throw syntaxError(message, text, Math.min(Math.max(pos + shift, 0), text.length), url, error);
  }
}

function declaredNames(declaration: Node): string[] {
  const d = declaration as unknown as AnyNode;
  if (d.type === 'VariableDeclaration') {
    return (d.declarations as { id: Pattern }[]).flatMap((v) => patternNames(v.id));
  }
  return [(d.id as { name: string }).name]; // function, class
}

function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name];
    case 'ObjectPattern': return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern': return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'RestElement': return patternNames(pattern.argument);
    case 'AssignmentPattern': return patternNames(pattern.left);
    default: return []; // MemberExpression: not a binding pattern in a declaration
  }
}

/** An Identifier's name or a string Literal's value (ModuleExportName). */
function nameOf(node: Node): string {
  const n = node as unknown as { type: string; name?: string; value?: unknown };
  return n.type === 'Identifier' ? n.name! : String(n.value);
}

// ---------------------------------------------------------------- helpers

function requireText(text: unknown, fn: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(`${fn}: the source text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
}

function syntaxError(message: string, text: string, index: number, url: string | undefined, cause?: unknown): ModuleSyntaxError {
  const { line, column } = lineColumn(text, index);
  return new ModuleSyntaxError(message, { url, line, column }, cause === undefined ? undefined : { cause });
}

/** 1-based line and column (UTF-16 code units) of an offset. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      if (i + 1 === index) break; // on the LF of a CRLF: still the CR's line
      i++;
    }
    if (c === 10 || c === 13 || isLsPs(c)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function isLsPs(c: number): boolean {
  return c === 0x2028 || c === 0x2029;
}

/** Skips JS WhiteSpace, LineTerminators and comments from `i`. */
export function skipTrivia(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        i += 2;
        while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
        continue;
      }
      if (d === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) return text.length;
        i = close + 2;
        continue;
      }
      return i;
    }
    if (c === 9 || c === 11 || c === 12 || c === 32 || c === 0xa0 || isLineTerminator(c) || (c > 0xff && UNUSUAL_SPACE.test(text[i]!))) {
      i++;
      continue;
    }
    return i;
  }
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || isLsPs(c);
}

// Built on first use: a regex of a Unicode property is cheap to write but its
// tables take about 0.3 ms to build (V8 builds them when the literal is first
// evaluated, which with canon's code cache is at start-up).
let identifierPart: RegExp | undefined;

/** Whether code point `c` can continue an identifier (ASCII without the regex). */
function isIdentifierPart(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95 || c === 92;
  identifierPart ??= /[\p{ID_Continue}$\u200c\u200d\\]/u;
  return identifierPart.test(String.fromCodePoint(c));
}

/** `word` at `i`, not followed by more of an identifier. */
function isWord(text: string, i: number, word: string): boolean {
  if (!text.startsWith(word, i)) return false;
  const next = text.codePointAt(i + word.length);
  return next === undefined || !isIdentifierPart(next);
}

function differs(a: string, b: string, start: number, end: number): boolean {
  return a.slice(start, end) !== b.slice(start, end);
}

/** Code unit order, which the spec's "lexicographic code unit order" means. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
