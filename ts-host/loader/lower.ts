// Lowering: rewrites the import-phase syntax the engine may not parse into
// plain module syntax, driven by the lexer's positions. Every edit stays on
// its own line, so line numbers in stack traces are unchanged (columns move
// only on the edited line, after the edit). The source object keeps the
// original text; only the engine compiles the lowered one.
//
//   import source x from "m"      →  import        x from "m\u0000canon-source"
//   import defer * as ns from "m" →  import            ns from "m\u0000canon-defer"
//   import.source(spec)           →  import.meta.canonImportSource(spec)
//   import.defer(spec)            →  import.meta.canonImportDefer(spec)
//   import.sync(spec)             →  import.meta.canonImportSync(spec)
//   import(expr)                  →  import(import.meta.canonSpecifier(expr))
//
// The specifier suffix marks the request for the linker, which answers it
// with a module whose default export is the source. (A suffix, not an
// attribute: Node 20's linker keys requests by specifier alone.) A real
// specifier cannot contain NUL, so the mark cannot collide with one. canonSpecifier() lets a source
// object through the engine's ToString(specifier) as a one-time token.
// Canon lowers on every Node, also where the engine parses the syntax, so
// behaviour is the same everywhere. Classic scripts and CommonJS modules
// have no import.meta: there the calls go to another host expression
// (`host`), with the same methods.

/** The host expression lowered module code calls. */
export const MODULE_PHASE_HOST = 'import.meta';

/** importUses(): the text may call import() (`import` then `(`, or a comment that may hide the call). */
export const USES_DYNAMIC_IMPORT = 1;
/** importUses(): the text may call a phase form (import.source(), import.defer(), import.sync()). */
export const USES_PHASE_FORMS = 2;

const DYNAMIC_AFTER = /\s*[(/]/y;
const PHASE_AFTER = /\s*\.\s*(?:source|defer|sync)\b/y;

/** Whether a UTF-16 unit is a regex word character ([A-Za-z0-9_], what `\b` looks at). */
function isWordUnit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * What a script's text may use of `import`, as the bits above: the word
 * `import` (at a word boundary) followed by `(` or `/`, or by `.source`,
 * `.defer` or `.sync` (spaces allowed), as the regexes
 * /\bimport\s*[(/]/ and /\bimport\s*\.\s*(?:source|defer|sync)\b/ find
 * them, in one pass: most CommonJS texts never write `import`, and one
 * indexOf over them costs a fraction of those two regex scans.
 */
export function importUses(text: string): number {
  let uses = 0;
  for (let at = text.indexOf('import'); at >= 0 && uses !== (USES_DYNAMIC_IMPORT | USES_PHASE_FORMS); at = text.indexOf('import', at + 6)) {
    if (at > 0 && isWordUnit(text.charCodeAt(at - 1))) continue;
    DYNAMIC_AFTER.lastIndex = at + 6;
    if (DYNAMIC_AFTER.test(text)) uses |= USES_DYNAMIC_IMPORT;
    PHASE_AFTER.lastIndex = at + 6;
    if (PHASE_AFTER.test(text)) uses |= USES_PHASE_FORMS;
  }
  return uses;
}

/** Whether a script's text may call a phase form (a cheap check before lexing a script that is not a module). */
export const mayUsePhaseForms = (text: string): boolean => (importUses(text) & USES_PHASE_FORMS) !== 0;

import { parse } from 'es-module-lexer/minimal';
import { skipTrivia, type LexResult } from '../sources/analyze-js.js';

/** What a source-phase request's specifier ends with in lowered text. */
export const SOURCE_PHASE_MARK = '\u0000canon-source';
/** What a deferred request's specifier ends with in lowered text. */
export const DEFER_PHASE_MARK = '\u0000canon-defer';

/** Replace text.slice(start, end) with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Index just past the word `word` at `i` (after trivia), or -1. */
function expectWord(text: string, i: number, word: string): number {
  const at = skipTrivia(text, i);
  return text.startsWith(word, at) ? at + word.length : -1;
}

/**
 * Where `import.sync(` calls are in code. The lexer does not know them, so
 * candidates found by pattern are turned into `import(` of the same length
 * and kept only if the lexer then reports a dynamic import there (which
 * rules out strings, comments, templates and regular expressions).
 */
function importSyncCalls(text: string): { start: number; openParen: number }[] {
  const pattern = /\bimport\s*\.\s*sync\s*\(/g;
  const candidates: { start: number; openParen: number }[] = [];
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    candidates.push({ start: m.index, openParen: m.index + m[0].length - 1 });
  }
  if (candidates.length === 0) return [];
  let probe = text;
  for (const c of candidates) probe = probe.slice(0, c.start) + 'import' + ' '.repeat(c.openParen - c.start - 6) + probe.slice(c.openParen);
  try {
    const starts = new Set(lexDynamicStarts(probe));
    return candidates.filter((c) => starts.has(c.start));
  } catch {
    return [];
  }
}

function lexDynamicStarts(text: string): number[] {
  return parse(text)[0].filter((i) => i.d >= 0).map((i) => i.ss);
}

/** Whether the keyword `new` (after whitespace at most) comes right before `start`. */
function afterNew(text: string, start: number): boolean {
  return /(?:^|[^\w$.])new\s*$/.test(text.slice(Math.max(0, start - 64), start));
}

/**
 * The offset of the first import call written after `new` (`new import(x).p`),
 * or -1. The grammar forbids it (ImportCall is not a MemberExpression), but
 * V8 14 (Node 26) accepts it without a phase, so canon checks it itself; a
 * text without the words "new import" costs one regular expression test.
 */
export function newImportCall(text: string, lex: () => LexResult): number {
  if (!/\bnew\s*import\b/.test(text)) return -1;
  let sites;
  try {
    sites = lex().dynamicImports;
  } catch {
    return -1; // text the lexer rejects: the engine reports its syntax error
  }
  return sites.find((site) => afterNew(text, site.start))?.start ?? -1;
}

/**
 * Whether the engine must reject this import call as written: a spread or
 * missing argument (`import(...args)`, `import.source()`), or a phase form
 * after `new` (`new import.defer(x)`). Such a call is left as written, so the
 * engine reports the SyntaxError at parse time, as it would natively; lowered,
 * it would become a valid method call.
 */
function engineRejects(text: string, site: LexResult['dynamicImports'][number]): boolean {
  const argument = text.slice(skipTrivia(text, site.argumentStart), site.argumentEnd);
  if (argument.startsWith('...')) return true;
  if (site.phase === null) return false;
  return argument.length === 0 || afterNew(text, site.start);
}

/** The lowered text, or undefined when there is nothing to lower. */
export function lowerPhases(text: string, lex: LexResult, host: string = MODULE_PHASE_HOST): string | undefined {
  const edits = phaseEdits(text, lex, host);
  if (edits === undefined) return undefined;
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * The edits lowerPhases makes, last first (positions in the original text),
 * or undefined when there is nothing to lower. Stack traces of lowered code
 * are mapped back to the original's columns with them (diagnostics/).
 */
export function phaseEdits(text: string, lex: LexResult, host: string = MODULE_PHASE_HOST): readonly Edit[] | undefined {
  const mayCallSync = text.includes('sync');
  if (!lex.lowerable && !mayCallSync) return undefined;
  const edits: Edit[] = [];
  for (const site of lex.staticImports) {
    if (site.phase === 'source') {
      const keyword = skipTrivia(text, site.statementStart + 'import'.length);
      edits.push({ start: keyword, end: keyword + 'source'.length, text: ' '.repeat('source'.length) });
      // Before the closing quote, written as an escape so the text stays printable.
      edits.push({ start: site.specifierEnd, end: site.specifierEnd, text: '\\u0000canon-source' });
    } else if (site.phase === 'defer') {
      // `defer * as` → spaces: `import ns from`, a default import of the deferred namespace.
      const keyword = skipTrivia(text, site.statementStart + 'import'.length);
      const star = expectWord(text, keyword + 'defer'.length, '*');
      const as = star < 0 ? -1 : expectWord(text, star, 'as');
      if (as < 0) continue; // the lexer has already rejected other shapes
      edits.push({ start: keyword, end: as, text: text.slice(keyword, as).replace(/[^\n\r]/g, ' ') });
      edits.push({ start: site.specifierEnd, end: site.specifierEnd, text: '\\u0000canon-defer' });
    }
  }
  for (const site of lex.dynamicImports) {
    if (engineRejects(text, site)) continue;
    if (site.phase === 'source') {
      edits.push({ start: site.start, end: site.openParen, text: `${host}.canonImportSource` });
    } else if (site.phase === 'defer') {
      edits.push({ start: site.start, end: site.openParen, text: `${host}.canonImportDefer` });
    } else if (site.phase === null && site.specifier === undefined && site.argumentEnd > site.argumentStart) {
      edits.push({ start: site.argumentStart, end: site.argumentStart, text: `${host}.canonSpecifier(` });
      edits.push({ start: site.argumentEnd, end: site.argumentEnd, text: ')' });
    }
  }
  if (mayCallSync) {
    for (const call of importSyncCalls(text)) edits.push({ start: call.start, end: call.openParen, text: `${host}.canonImportSync` });
  }
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  return edits;
}
