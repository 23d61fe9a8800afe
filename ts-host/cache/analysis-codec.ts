// The analysis part of a cache record: a module's LexResult (sources/
// analyze-js.ts) and its lowered text (loader/lower.ts), in a form that
// decodes faster than the lexer runs. Positions are integers; a specifier is
// sliced from the source text where it is written verbatim (nearly always),
// so the record holds no strings at all for most modules. The rare rest
// (escaped specifiers, attributes, a lowered text) goes in a JSON tail.
//
// Layout: Int32 words, then the tail (UTF-8 JSON) if any.
//   [flags, imports, staticImports, dynamicImports, tailBytes]
//   per import:         phase, start, end, specifier (-1: the slice), attributes (-1: none)
//   per static import:  request, phase, specifierStart, specifierEnd, verbatim, statementStart, statementEnd
//   per dynamic import: phase, specifier (-1: none, -2: the literal's slice), start, end, openParen,
//                       argumentStart, argumentEnd, optionsStart
// A string reference ≥ 0 indexes the tail's `strings`; the tail's `lowered`
// is the text the engine compiles when it differs from the source.

import type { DynamicImportSite, LexResult, StaticImportSite } from '../sources/analyze-js.js';
import type { ImportPhase, ModuleImport } from '../sources/analysis.js';

const IMPORT_META = 1;
const LOWERABLE = 2;
const POSITIONS = 4;
const HEADER_WORDS = 5;
const IMPORT_WORDS = 5;
const STATIC_WORDS = 7;
const DYNAMIC_WORDS = 8;

function phaseCode(phase: ImportPhase): number {
  return phase === null ? 0 : phase === 'source' ? 1 : 2;
}

const PHASES: readonly ImportPhase[] = [null, 'source', 'defer'];

interface Tail {
  strings?: string[];
  lowered?: string;
}

/** Encodes a module's analysis; `compileText` is lower.ts's result (undefined: the source itself). */
export function encodeAnalysis(text: string, lex: LexResult, compileText: string | undefined): Uint8Array {
  const strings: string[] = [];
  const ref = (s: string) => strings.push(s) - 1;
  const { imports, importPositions, staticImports, dynamicImports } = lex;
  const words = new Int32Array(HEADER_WORDS + imports.length * IMPORT_WORDS + staticImports.length * STATIC_WORDS + dynamicImports.length * DYNAMIC_WORDS);
  const positions = importPositions.length === imports.length && imports.length > 0;
  words[0] = (lex.importMeta ? IMPORT_META : 0) | (lex.lowerable ? LOWERABLE : 0) | (positions ? POSITIONS : 0);
  words[1] = imports.length;
  words[2] = staticImports.length;
  words[3] = dynamicImports.length;
  let at = HEADER_WORDS;
  for (let i = 0; i < imports.length; i++) {
    const request = imports[i]!;
    const start = positions ? importPositions[i]!.start : 0;
    const end = positions ? importPositions[i]!.end : 0;
    words[at] = phaseCode(request.phase);
    words[at + 1] = start;
    words[at + 2] = end;
    words[at + 3] = positions && text.slice(start, end) === request.specifier ? -1 : ref(request.specifier);
    words[at + 4] = request.attributes === null ? -1 : ref(JSON.stringify(request.attributes));
    at += IMPORT_WORDS;
  }
  for (let i = 0; i < staticImports.length; i++) {
    const site = staticImports[i]!;
    words[at] = site.request;
    words[at + 1] = phaseCode(site.phase);
    words[at + 2] = site.specifierStart;
    words[at + 3] = site.specifierEnd;
    words[at + 4] = site.verbatim ? 1 : 0;
    words[at + 5] = site.statementStart;
    words[at + 6] = site.statementEnd;
    at += STATIC_WORDS;
  }
  for (let i = 0; i < dynamicImports.length; i++) {
    const site = dynamicImports[i]!;
    words[at] = phaseCode(site.phase);
    words[at + 1] = site.specifier === undefined ? -1
      : text.slice(site.argumentStart + 1, site.argumentEnd - 1) === site.specifier ? -2
      : ref(site.specifier);
    words[at + 2] = site.start;
    words[at + 3] = site.end;
    words[at + 4] = site.openParen;
    words[at + 5] = site.argumentStart;
    words[at + 6] = site.argumentEnd;
    words[at + 7] = site.optionsStart;
    at += DYNAMIC_WORDS;
  }
  const tail: Tail = {};
  if (strings.length > 0) tail.strings = strings;
  if (compileText !== undefined) tail.lowered = compileText;
  if (strings.length === 0 && compileText === undefined) return new Uint8Array(words.buffer);
  const tailBytes = Buffer.from(JSON.stringify(tail), 'utf8');
  words[4] = tailBytes.length;
  const out = new Uint8Array(words.byteLength + tailBytes.length);
  out.set(new Uint8Array(words.buffer), 0);
  out.set(tailBytes, words.byteLength);
  return out;
}

export interface DecodedAnalysis {
  lex: LexResult;
  /** The lowered text, or undefined when the engine compiles the source itself. */
  compileText: string | undefined;
}

class CorruptAnalysis extends Error {}

/** Decodes what encodeAnalysis wrote for `text`; undefined if it does not fit the text (a bad record). */
export function decodeAnalysis(bytes: Uint8Array, text: string): DecodedAnalysis | undefined {
  try {
    return decode(bytes, text);
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array, text: string): DecodedAnalysis {
  if (bytes.byteLength < HEADER_WORDS * 4) throw new CorruptAnalysis();
  // The words are 8-byte aligned in a record (module-cache.ts); copy otherwise.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const all = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 2);
  const flags = all[0]!;
  const nImports = all[1]!;
  const nStatic = all[2]!;
  const nDynamic = all[3]!;
  const tailLength = all[4]!;
  const wordCount = HEADER_WORDS + nImports * IMPORT_WORDS + nStatic * STATIC_WORDS + nDynamic * DYNAMIC_WORDS;
  if (nImports < 0 || nStatic < 0 || nDynamic < 0 || tailLength < 0 || wordCount * 4 + tailLength !== bytes.byteLength) throw new CorruptAnalysis();
  const tail: Tail = tailLength > 0 ? JSON.parse(Buffer.from(aligned.buffer, aligned.byteOffset + wordCount * 4, tailLength).toString('utf8')) : EMPTY_TAIL;
  const strings = tail.strings ?? NO_STRINGS;
  const length = text.length;
  const positions = (flags & POSITIONS) !== 0;
  const imports: ModuleImport[] = new Array(nImports);
  const importPositions: { start: number; end: number }[] = positions ? new Array(nImports) : [];
  let at = HEADER_WORDS;
  for (let i = 0; i < nImports; i++) {
    const start = all[at + 1]!;
    const end = all[at + 2]!;
    const specifierRef = all[at + 3]!;
    const attributesRef = all[at + 4]!;
    let specifier: string;
    if (positions) {
      if (!(start >= 0 && start <= end && end <= length)) throw new CorruptAnalysis();
      importPositions[i] = { start, end };
    }
    if (specifierRef === -1) {
      if (!positions) throw new CorruptAnalysis();
      specifier = text.slice(start, end);
    } else {
      specifier = stringAt(strings, specifierRef);
    }
    imports[i] = { specifier, phase: phaseOf(all[at]!), attributes: attributesRef === -1 ? null : attributesOf(stringAt(strings, attributesRef)) };
    at += IMPORT_WORDS;
  }
  if (tail.lowered !== undefined && typeof tail.lowered !== 'string') throw new CorruptAnalysis();
  return {
    lex: new CachedLex(imports, importPositions, (flags & IMPORT_META) !== 0, (flags & LOWERABLE) !== 0, all, at, nStatic, nDynamic, text, strings),
    compileText: tail.lowered,
  };
}

const EMPTY_TAIL: Tail = {};
const NO_STRINGS: string[] = [];

function stringAt(strings: readonly string[], i: number): string {
  const s = strings[i];
  if (typeof s !== 'string') throw new CorruptAnalysis();
  return s;
}

/**
 * A LexResult from a record. The import sites are only read to lower phase
 * syntax, whose result the record holds already: they are decoded (and
 * checked) on first use.
 */
class CachedLex implements LexResult {
  readonly imports: readonly ModuleImport[];
  readonly importPositions: readonly { start: number; end: number }[];
  readonly importMeta: boolean;
  readonly lowerable: boolean;
  #words: Int32Array;
  #at: number;
  #nStatic: number;
  #nDynamic: number;
  #text: string;
  #strings: readonly string[];
  #sites: { staticImports: StaticImportSite[]; dynamicImports: DynamicImportSite[] } | undefined;

  constructor(
    imports: readonly ModuleImport[], importPositions: readonly { start: number; end: number }[], importMeta: boolean, lowerable: boolean,
    words: Int32Array, at: number, nStatic: number, nDynamic: number, text: string, strings: readonly string[],
  ) {
    this.imports = imports;
    this.importPositions = importPositions;
    this.importMeta = importMeta;
    this.lowerable = lowerable;
    this.#words = words;
    this.#at = at;
    this.#nStatic = nStatic;
    this.#nDynamic = nDynamic;
    this.#text = text;
    this.#strings = strings;
  }

  #decodeSites() {
    this.#sites ??= decodeSites0(this.#words, this.#at, this.#nStatic, this.#nDynamic, this.imports.length, this.#text, (i) => stringAt(this.#strings, i));
    return this.#sites;
  }

  get staticImports(): readonly StaticImportSite[] {
    return this.#decodeSites().staticImports;
  }

  get dynamicImports(): readonly DynamicImportSite[] {
    return this.#decodeSites().dynamicImports;
  }
}

function decodeSites0(
  words: Int32Array, at: number, nStatic: number, nDynamic: number, nImports: number, text: string, string: (i: number) => string,
): { staticImports: StaticImportSite[]; dynamicImports: DynamicImportSite[] } {
  const length = text.length;
  const range = (start: number, end: number) => {
    if (!(start >= 0 && start <= end && end <= length)) throw new CorruptAnalysis();
  };
  const staticImports: StaticImportSite[] = new Array(nStatic);
  for (let i = 0; i < nStatic; i++) {
    const request = words[at]!;
    if (!(request >= 0 && request < nImports)) throw new CorruptAnalysis();
    range(words[at + 2]!, words[at + 3]!);
    range(words[at + 5]!, words[at + 6]!);
    staticImports[i] = {
      request,
      phase: phaseOf(words[at + 1]!),
      specifierStart: words[at + 2]!,
      specifierEnd: words[at + 3]!,
      verbatim: words[at + 4] === 1,
      statementStart: words[at + 5]!,
      statementEnd: words[at + 6]!,
    };
    at += STATIC_WORDS;
  }
  const dynamicImports: DynamicImportSite[] = new Array(nDynamic);
  for (let i = 0; i < nDynamic; i++) {
    const specifierRef = words[at + 1]!;
    const argumentStart = words[at + 5]!;
    const argumentEnd = words[at + 6]!;
    range(words[at + 2]!, words[at + 3]!);
    range(argumentStart, argumentEnd);
    dynamicImports[i] = {
      phase: phaseOf(words[at]!),
      specifier: specifierRef === -1 ? undefined : specifierRef === -2 ? text.slice(argumentStart + 1, argumentEnd - 1) : string(specifierRef),
      start: words[at + 2]!,
      end: words[at + 3]!,
      openParen: words[at + 4]!,
      argumentStart,
      argumentEnd,
      optionsStart: words[at + 7]!,
    };
    at += DYNAMIC_WORDS;
  }
  return { staticImports, dynamicImports };
}

function phaseOf(code: number): ImportPhase {
  const phase = PHASES[code];
  if (phase === undefined) throw new CorruptAnalysis();
  return phase;
}

/** Attributes as the lexer gives them: a frozen null-prototype object with sorted keys. */
function attributesOf(json: string): Readonly<Record<string, string>> {
  const parsed = JSON.parse(json) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CorruptAnalysis();
  const out = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(parsed).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new CorruptAnalysis();
    out[key] = value;
  }
  return Object.freeze(out);
}
