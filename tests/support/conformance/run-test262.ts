// Runs one test262 test in this process, as INTERPRETING.md says: the
// harness files as global scripts, then the test as a module (through a
// canon Registry or Node's own import()) or as a script (registry.runScript,
// or vm with Node's default loader for its import() calls); a negative test
// passes when the exact error constructor named by `negative.type` is
// thrown; an async test passes when it prints Test262:AsyncTestComplete.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { readFrontmatter, harnessFiles, type Test262Meta } from './frontmatter.js';
import type { Job } from './job.js';
import type { Loader } from './loaders.js';

/** The outcome: pass, or a failure message. */
export type Outcome = { pass: true } | { pass: false; message: string };

function describe(e: unknown): string {
  if (e !== null && typeof e === 'object') {
    const err = e as { constructor?: { name?: string }; message?: unknown };
    return `${err.constructor?.name ?? 'Object'}: ${String(err.message)}`;
  }
  return `thrown ${String(e)}`;
}

/** Judges a thrown value (or none) against the test's `negative` key. */
function judge(meta: Test262Meta, error: unknown, threw: boolean): Outcome {
  if (meta.negative) {
    if (!threw) return { pass: false, message: `expected ${meta.negative.type} (${meta.negative.phase}), nothing was thrown` };
    const expected = (globalThis as Record<string, unknown>)[meta.negative.type];
    const ctor = error !== null && typeof error === 'object' ? (error as { constructor?: unknown }).constructor : undefined;
    if (ctor === expected) return { pass: true };
    return { pass: false, message: `expected exactly ${meta.negative.type} (${meta.negative.phase}), got ${describe(error)}` };
  }
  return threw ? { pass: false, message: describe(error) } : { pass: true };
}

export async function runTest262(job: Job, loader: Loader): Promise<Outcome> {
  const text = readFileSync(job.file, 'utf8');
  const meta = readFrontmatter(text);
  const g = globalThis as Record<string, unknown>;
  const printed: string[] = [];
  let asyncDone: (line: string) => void = () => {};
  const asyncResult = new Promise<string>((resolve) => { asyncDone = resolve; });
  g.print = (msg: unknown) => {
    const line = String(msg);
    printed.push(line);
    if (line.startsWith('Test262:Async')) asyncDone(line);
  };
  g.$262 = loader.host262();
  for (const name of harnessFiles(meta)) {
    vm.runInThisContext(readFileSync(`${job.harnessDir}/${name}`, 'utf8'), { filename: `${job.harnessDir}/${name}` });
  }
  const url = pathToFileURL(job.file).href;
  let threw = false;
  let error: unknown;
  try {
    if (job.mode === 'module') await loader.importModule(url);
    else {
      const code = job.mode === 'strict' ? `"use strict";\n${text}` : text;
      loader.runScript(code, url);
    }
  } catch (e) {
    threw = true;
    error = e;
  }
  const outcome = judge(meta, error, threw);
  if (!outcome.pass || threw || !meta.flags.has('async')) return outcome;
  // An async test has passed only when $DONE said so; an empty event loop without it is a failure.
  // (One promise and await: Promise.race would call Promise.prototype.then, which tests replace.)
  process.once('beforeExit', () => asyncDone('Test262:AsyncTestFailure:$DONE was never called'));
  const line = await asyncResult;
  return line === 'Test262:AsyncTestComplete' ? { pass: true } : { pass: false, message: line.slice('Test262:AsyncTestFailure:'.length) };
}
