// The child process of the conformance runner: runs one job (argv[2], JSON)
// and writes its result on one line after RESULT_PREFIX, then exits, so no
// test sees another's globals or registry.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { RESULT_PREFIX, type Job, type JobResult } from './job.js';
import { makeLoader } from './loaders.js';
import { runTest262 } from './run-test262.js';
import { installTestharness } from './testharness.js';
import { readWptMeta } from './wpt-meta.js';

async function runWpt(job: Job): Promise<JobResult> {
  const text = readFileSync(job.file, 'utf8');
  const meta = readWptMeta(text);
  const loader = makeLoader(job.runner, job.file);
  const harness = installTestharness();
  const base = pathToFileURL(job.file);
  for (const script of meta.scripts) {
    const url = new URL(script, base);
    loader.runScript(readFileSync(url, 'utf8'), url.href);
  }
  try {
    loader.runScript(text, base.href);
  } catch (e) {
    return { results: [{ name: '(file)', pass: false, message: `the test file threw: ${String(e)}` }] };
  }
  const results = await harness.run();
  return { results: results.map((r) => ({ name: r.name, pass: r.status === 'PASS', ...(r.message ? { message: r.message } : {}) })) };
}

async function main(): Promise<void> {
  // A browser or shell host reports an unhandled rejection and goes on; a test fails only by its own verdict.
  process.on('unhandledRejection', () => {});
  const job = JSON.parse(process.argv[2]!) as Job;
  let result: JobResult;
  if (job.suite === 'wpt') result = await runWpt(job);
  else {
    const outcome = await runTest262(job, makeLoader(job.runner, job.file));
    result = { results: [{ name: job.mode, pass: outcome.pass, ...(outcome.pass ? {} : { message: outcome.message }) }] };
  }
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e) => {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify({ results: [{ name: 'runner', pass: false, message: `runner error: ${String(e?.stack ?? e)}` }] })}\n`);
  process.exit(0);
});
