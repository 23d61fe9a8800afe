// Reading V8 stack traces: which frames are the program's and which are
// canon's own machinery (the loader that ran the program), and where the
// program's first frame points. Node prints a failing program's stack with
// its own loader's frames; canon leaves its loader out, so what is left is
// what the program did.

import { fileURLToPath, pathToFileURL } from 'node:url';

/** One "    at ..." line of a stack and the location it names (when it names a file position). */
export interface StackFrame {
  /** The line as V8 wrote it, indentation included. */
  text: string;
  /** The file as written: a file: URL (ES modules), a path (CommonJS), node:..., or undefined. */
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** Offset of ":line:column" in `text`, to rewrite the position. */
  at?: number | undefined;
}

/** The lines of a stack: the header (name, message, maybe several lines) and the frames. */
export function splitStack(stack: string): { header: string; frames: StackFrame[] } {
  const lines = stack.split('\n');
  let first = lines.findIndex((l) => /^\s+at /.test(l));
  if (first < 0) first = lines.length;
  return { header: lines.slice(0, first).join('\n'), frames: lines.slice(first).map(parseFrame) };
}

const LOCATION = /:(\d+):(\d+)\)?$/;

function parseFrame(text: string): StackFrame {
  const m = LOCATION.exec(text);
  if (!m) return { text };
  const open = text.lastIndexOf('(', m.index);
  let start = open >= 0 && text.endsWith(')') ? open + 1 : text.indexOf('at ') + 3;
  if (text.startsWith('async ', start)) start += 'async '.length;
  return { text, file: text.slice(start, m.index), line: Number(m[1]), column: Number(m[2]), at: m.index };
}

/** The directory canon runs from (dist/ts-host/, bundled or not), as a URL and as a path. */
const CANON_URL = new URL('../', import.meta.url).href;
const CANON_PATH = CANON_URL.startsWith('file:') ? fileURLToPath(CANON_URL) : CANON_URL;

/**
 * Whether a frame belongs to canon rather than the program: canon's own
 * files, and the vm module records it runs modules as (their evaluate()).
 */
export function isCanonFrame(frame: StackFrame): boolean {
  const file = frame.file;
  if (file === undefined) return /\(node:internal\/vm\/module\b/.test(frame.text);
  return file.startsWith(CANON_URL) || file.startsWith(CANON_PATH) || file.startsWith('node:internal/vm/module');
}

/**
 * The program's frames: canon's own left out, and with them the frames
 * without a file (`<anonymous>`, `native`: a generator's next(), a
 * Promise.all) that sit next to canon's, which are canon's steps too, and
 * Node's CommonJS loader where it calls canon (the stub a main module runs
 * in, loader/stat-cache.ts).
 */
export function programFrames(frames: readonly StackFrame[]): StackFrame[] {
  const canon = frames.map(isCanonFrame);
  const anonymous = (f: StackFrame) => f.file === undefined || !/[:/\\]/.test(f.file);
  const nodeLoader = (f: StackFrame) => f.file?.startsWith('node:internal/modules/cjs/loader') === true;
  return frames.filter((f, i) => !canon[i] && !(anonymous(f) && (canon[i - 1] || canon[i + 1])) && !(nodeLoader(f) && canon[i - 1]));
}

/** Whether a frame points into a file canon can read (not node:..., not native, not eval). */
export function isFileFrame(frame: StackFrame): frame is StackFrame & { file: string; line: number; column: number } {
  return frame.file !== undefined && (frame.file.startsWith('file:') || frame.file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(frame.file));
}

/** The frame's file as a file: URL. */
export function frameURL(frame: { file: string }): string {
  return frame.file.startsWith('file:') ? frame.file : pathToFileURL(frame.file).href;
}

/** The frame's text with another column (the program's own, where canon's lowering moved it). */
export function withColumn(frame: StackFrame, column: number): StackFrame {
  if (frame.at === undefined || frame.column === column) return frame;
  const text = frame.text.slice(0, frame.at) + frame.text.slice(frame.at).replace(/:(\d+):(\d+)(\)?)$/, `:$1:${column}$3`);
  return { ...frame, text, column };
}

/**
 * An uncaught error that Node prints itself (thrown by a timer or an event
 * handler, an unhandled rejection): Node reads its `stack` after the
 * 'uncaughtExceptionMonitor' listeners ran, so `canon run` takes canon's
 * frames out there, as its own report of a failed import does. Errors that
 * are not objects, have no string stack or refuse the write are left alone.
 */
export function hideCanonFrames(error: unknown): void {
  if (typeof error !== 'object' || error === null) return;
  let stack: unknown;
  try {
    stack = (error as Error).stack;
  } catch {
    return;
  }
  if (typeof stack !== 'string') return;
  const { header, frames } = splitStack(stack);
  const kept = programFrames(frames);
  if (kept.length === frames.length) return;
  try {
    (error as Error).stack = [header, ...kept.map((f) => f.text)].join('\n');
  } catch {
    // a frozen error keeps its stack
  }
}
