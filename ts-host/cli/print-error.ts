// How `canon run` prints the error that ends a program: Node's format for
// an uncaught error, so the same failure reads the same under both:
//
//   file:///app/dep.mjs:3                 where (a URL for an ES module, a path for CommonJS)
//     2 |   const o = undefined;
//   > 3 |   return o.field;               a code frame (@babel/code-frame), the caret
//       |           ^                     under the column Node marks
//
//   TypeError: Cannot read properties of undefined (reading 'field')
//       at run (file:///app/dep.mjs:3:12)  the program's frames (canon's own left out)
//
// Where comes from the error's own properties, never its class (canon's
// classes may change): `url`, `line`, `column` for a syntax error; the
// importer (`referrer`) for a missing export (the imported name) and for a
// request that failed to resolve or load (its specifier); else the
// program's first stack frame in a file.

import { fileURLToPath } from 'node:url';
import { fs, util } from '../builtins.js';
import { codeFrame, type FramePosition } from '../diagnostics/code-frame.js';
import { importedNameSite, specifierSite } from '../diagnostics/import-site.js';
import { tokenEndColumn } from '../diagnostics/syntax-position.js';
import { frameURL, isFileFrame, programFrames, splitStack, withColumn, type StackFrame } from '../diagnostics/stack.js';
import { describeSite, type ErrorSite } from '../errors.js';

export interface PrintContext {
  /** The text of the module at `url` as the program wrote it, when canon has it (else it is read from disk). */
  sourceText?(url: string): string | undefined;
  /** The program's column for a column of the code canon compiled (lowering moves columns on edited lines). */
  originalColumn?(url: string, line: number, column: number): number;
  /** Whether the module at `url` is CommonJS (Node names those by path, ES modules by URL). */
  isCommonJS?(url: string): boolean;
  /** The imports from the entry to the module that failed, as URLs (printed for load and link errors). */
  chain?: readonly string[];
  /** How to write a URL in the chain (for example relative to the working directory). */
  shortURL?(url: string): string;
  /** Colour the code frame and the stack (see diagnostics/colour.ts). */
  colour?: boolean;
  /** Every frame, canon's own included, and the error's properties and cause (CANON_STACK=1). */
  full?: boolean;
}

/** A link failure's message, as V8 words it: the specifier and the export name. */
const LINK_MESSAGE = /^The requested module '([^']*)' (?:does not provide an export named|contains conflicting star exports for name) '([^']*)'/;

/** The error's text as canon run prints it on stderr, ending with a newline. */
export function formatUncaught(error: unknown, context: PrintContext = {}): string {
  try {
    return report(error, context);
  } catch {
    // A value whose properties throw when read (a hostile getter, a revoked proxy): what can be said safely.
    return `Uncaught ${safeInspect(error, false)}\n`;
  }
}

function report(error: unknown, context: PrintContext): string {
  const colour = context.colour ?? false;
  if (!isErrorLike(error)) return `Uncaught ${safeInspect(error, colour)}\n`;
  if (context.full) return `${safeInspect(error, colour)}\n`;
  const stack = typeof error.stack === 'string' && error.stack.length > 0 ? error.stack : `${String(error.name)}: ${String(error.message)}`;
  const { header, frames } = splitStack(stack);
  const own = programFrames(frames).map((f) => programColumn(f, context));
  const where = locate(error, own, context);
  const out: string[] = [];
  if (where) out.push(`${where.file}:${where.at.line}`, codeFrame(where.text, where.at, colour), '');
  // canon's own errors: thrown by canon (no program frame) or ending with the site canon describes.
  if (hasSite(error) && (own.length === 0 || withoutSite(String(error.message), error as ErrorSite) !== String(error.message))) {
    // One of canon's load, link or resolution errors: its stack is canon's own, so the
    // message and, for a module deep in the graph, the imports that led to it.
    out.push(headline(error));
    // (Not when it is only the importer the frame shows and the module it could not load.)
    const chain = context.chain ?? [];
    if (chain.length > 2 || (chain.length === 2 && where?.url !== chain[0])) {
      out.push(`    import chain: ${chain.map(context.shortURL ?? ((u) => u)).join(' -> ')}`);
    }
  } else if (own.length === 0 && frames.length > 0) {
    // An error canon itself threw, every frame its own: the message and the error's properties
    // (util.inspect would bracket a stack without frames: "[Error: ...]").
    const props = Object.keys(error).filter((k) => k !== 'stack' && k !== 'message');
    out.push(props.length === 0 ? header : `${header} ${safeInspect(Object.fromEntries(props.map((k) => [k, error[k]])), colour)}`);
  } else {
    out.push(withStack(error, [header, ...own.map((f) => f.text)].join('\n'), colour));
  }
  return out.join('\n') + '\n';
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  [key: string]: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && 'message' in value && ('stack' in value || value instanceof Error);
}

function hasSite(error: ErrorLike): boolean {
  return typeof error.url === 'string' || typeof error.specifier === 'string' || typeof error.referrer === 'string';
}

/**
 * "Name: message", with a Node code in brackets as Node prints its own
 * errors (`Error [ERR_MODULE_NOT_FOUND]: ...`), and without the site
 * canon's message ends with: the frame above says where.
 */
function headline(error: ErrorLike): string {
  const code = typeof error.code === 'string' && /^ERR_/.test(error.code) && !error.code.startsWith('ERR_CANON_') ? ` [${error.code}]` : '';
  return `${String(error.name ?? 'Error')}${code}: ${withoutSite(String(error.message), error as ErrorSite)}`;
}

/**
 * `message` without the " (specifier ..., url)" tail describeSite added to
 * it, if it has one. (A link error's line and column may be its importer's,
 * kept out of the tail: either form is recognised.)
 */
export function withoutSite(message: string, site: ErrorSite): string {
  // The fields the error was made with are its enumerable ones; those the registry completed later
  // (specifier, referrer, phase of the import it ended) are not, and are not in the message's tail.
  // (A spread copies only the enumerable ones.)
  const made: ErrorSite = { ...site };
  const sites = [site, made, { ...made, line: undefined, column: undefined }];
  for (let i = message.lastIndexOf(' ('); i > 0; i = message.lastIndexOf(' (', i - 1)) {
    const base = message.slice(0, i);
    const tail = message.slice(i);
    if (sites.some((s) => describeSite(s, base) === tail)) return base;
  }
  return message;
}

/** The error as util.inspect shows it (own properties, cause), with `stack` in place of its own. */
function withStack(error: ErrorLike, stack: string, colour: boolean): string {
  const own = Object.getOwnPropertyDescriptor(error, 'stack');
  if (own && !own.configurable) return safeInspect(error, colour);
  try {
    Object.defineProperty(error, 'stack', { value: stack, configurable: true, writable: true, enumerable: false });
    return safeInspect(error, colour);
  } finally {
    if (own) Object.defineProperty(error, 'stack', own);
    else delete error.stack;
  }
}

function safeInspect(value: unknown, colour: boolean): string {
  try {
    return util.inspect(value, { colors: colour });
  } catch {
    return String(value);
  }
}

/** A frame with the program's column where canon's lowering moved it. */
function programColumn(frame: StackFrame, context: PrintContext): StackFrame {
  if (!context.originalColumn || !isFileFrame(frame)) return frame;
  return withColumn(frame, context.originalColumn(frameURL(frame), frame.line, frame.column));
}

interface Where {
  url: string;
  /** The file as the first line shows it. */
  file: string;
  text: string;
  at: FramePosition;
}

function locate(error: ErrorLike, own: readonly StackFrame[], context: PrintContext): Where | undefined {
  const at = (url: string, position: (text: string) => FramePosition | undefined): Where | undefined => {
    const text = sourceOf(url, context);
    const found = text === undefined ? undefined : position(text);
    if (text === undefined || found === undefined) return undefined;
    return { url, file: url.startsWith('file:') && context.isCommonJS?.(url) ? fileURLToPath(url) : url, text, at: found };
  };
  const { url, referrer, specifier, line, column } = error;
  // A missing or ambiguous export: the imported name in the importing statement, as Node marks it.
  const link = typeof referrer === 'string' ? LINK_MESSAGE.exec(String(error.message)) : null;
  if (link) return at(referrer as string, (text) => importedNameSite(text, link[1]!, link[2]!) ?? specifierSite(text, link[1]!));
  // A syntax error: its own position in its own module.
  if (typeof url === 'string' && typeof line === 'number') {
    const col = typeof column === 'number' ? column : 1;
    return at(url, (text) => ({ line, column: col, endColumn: tokenEndColumn(text, line, col) }));
  }
  // A request that did not resolve or load: its specifier.
  if (typeof referrer === 'string' && typeof specifier === 'string') return at(referrer, (text) => specifierSite(text, specifier));
  // A runtime error: the program's first frame in a file.
  const frame = own.find(isFileFrame);
  if (frame === undefined) return undefined;
  const where = at(frameURL(frame), () => ({ line: frame.line, column: frame.column }));
  return where && { ...where, file: frame.file };
}

function sourceOf(url: string, context: PrintContext): string | undefined {
  const known = context.sourceText?.(url);
  if (known !== undefined) return known;
  if (!url.startsWith('file:')) return undefined;
  try {
    return fs.readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return undefined;
  }
}
