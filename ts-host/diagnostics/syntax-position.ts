// Where a syntax error is. V8 gives vm.SourceTextModule's and
// vm.compileFunction's SyntaxErrors no position a program can read (Node
// prints one only for its own uncaught errors), and es-module-lexer reports
// only where it stopped, often lines later ("Parse error" at the end of an
// unterminated string's line). acorn parses the same grammar and stops at
// the token the engine names: its position is the one Node's caret shows.

import vm from 'node:vm';
import { acorn } from '../sources/acorn.js';

/** A syntax error's position (1-based line and column) and acorn's own message for it. */
export interface SyntaxPosition {
  line: number;
  column: number;
  /** acorn's message without its "(line:column)" tail. */
  message: string;
}

/**
 * Where `text` stops parsing, as a module or as a CommonJS module's body (a
 * script where `return` is allowed); undefined when acorn parses it (a
 * grammar acorn does not have yet, or an engine-only early error).
 */
export function syntaxPosition(text: string, sourceType: 'module' | 'commonjs' = 'module'): SyntaxPosition | undefined {
  try {
    acorn().parse(text, sourceType === 'module'
      ? { ecmaVersion: 'latest', sourceType: 'module' }
      : { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (loc) return { line: loc.line, column: loc.column + 1, message: String((error as Error).message).replace(/ \(\d+:\d+\)$/, '') };
  }
  return undefined;
}

/**
 * Line and column of a syntax error the engine reported without them, given
 * its message: V8 reports "Unexpected end of input" at the end of the text
 * (an unterminated template or block), acorn at what it could not finish;
 * anything else where acorn stops (see syntaxPosition).
 */
export function locate(text: string, sourceType: 'module' | 'commonjs' = 'module', engineMessage?: string): { line?: number; column?: number } {
  if (engineMessage === 'Unexpected end of input') return endOf(text);
  const at = syntaxPosition(text, sourceType);
  return at ? { line: at.line, column: at.column } : {};
}

/** The position just past the last character (1-based), counting lines as the engine does. */
function endOf(text: string): { line: number; column: number } {
  const lines = text.split(/\r\n|[\n\r\u2028\u2029]/);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * The message the engine gives for module text the lexer rejected (what Node
 * prints for the same file), where this Node can compile modules; undefined
 * when it cannot or when the engine accepts the text.
 */
export function engineSyntaxMessage(text: string, url: string | undefined): string | undefined {
  if (typeof vm.SourceTextModule !== 'function') return undefined;
  try {
    new vm.SourceTextModule(text, url === undefined ? {} : { identifier: url });
  } catch (error) {
    if (error instanceof SyntaxError) return error.message;
  }
  return undefined;
}

/**
 * The column just past the token at `line`:`column` (1-based), for a caret
 * as wide as Node's: V8 underlines the token it rejects, and for a string
 * that never ends, the rest of the line (where acorn's tokenizer gives up).
 * Undefined when there is no token there (the end of the input).
 */
export function tokenEndColumn(text: string, line: number, column: number): number | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const lineEnd = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start);
  const offset = start + column - 1;
  if (offset >= lineEnd) return undefined;
  const rest = text.slice(offset, lineEnd);
  let end: number;
  try {
    const token = acorn().tokenizer(rest, { ecmaVersion: 'latest', sourceType: 'module' }).getToken();
    end = token.start === 0 && token.end > 0 ? token.end : 1;
  } catch (error) {
    const raisedAt = (error as { raisedAt?: unknown }).raisedAt;
    end = typeof raisedAt === 'number' && raisedAt > 0 ? raisedAt : 1;
  }
  return column + Math.min(end, rest.length);
}

/**
 * Where JSON.parse stopped in `text`: the offset V8's message gives ("... in
 * JSON at position 12"), else where acorn stops reading it as an expression
 * (V8's "Unexpected token '}', ..." names no position; Node's caret is there).
 */
export function jsonPosition(text: string, message: string): { line?: number; column?: number } {
  const offset = /\bposition (\d+)/.exec(message);
  if (offset) return lineColumnOf(text, Number(offset[1]));
  try {
    acorn().parseExpressionAt(text, 0, { ecmaVersion: 'latest' });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (loc) return { line: loc.line, column: loc.column + 1 };
  }
  return {};
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|[\n\r\u2028\u2029]/);
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
