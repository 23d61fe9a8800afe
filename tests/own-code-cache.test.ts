// The code cache of canon's own command line (ts-host/cli/load-bundle.ts):
// written by the first run, used by the next, and a damaged file (flipped
// bytes, which V8 itself does not notice, a truncated file, data V8 refuses)
// is ignored and written again, with the program's output unchanged. The
// checksum's Wasm is checksum.wat assembled, and it notices every single
// flipped byte.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import fc from 'fast-check';
import wabtInit from 'wabt';
import { checksum, CHECKSUM_WASM } from '../ts-host/cli/load-bundle.js';

const bin = fileURLToPath(new URL('../ts-host/cli.cjs', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const scratch = mkdtempSync(join(tmpdir(), 'canon-own-cache-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const program = join(scratch, 'main.mjs');
writeFileSync(program, "import { x } from './x.mjs';\nconsole.log('x is', x);\n");
writeFileSync(join(scratch, 'x.mjs'), 'export const x = 42;\n');

let dirs = 0;
/** Runs `canon run main.mjs` with a cache directory; returns its stdout and the own-code cache state it reported. */
function run(dir: string, env: Record<string, string> = {}): { stdout: string; state: string | undefined } {
  const r = spawnSync(process.execPath, [...FLAGS, bin, 'run', '--no-cache', program], {
    encoding: 'utf8',
    env: { ...process.env, CANON_CACHE_DIR: dir, CANON_CACHE_DEBUG: '1', ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, state: /canon cache: own code (.+)/.exec(r.stderr)?.[1] };
}

/** The one code cache file in the directory. */
function ownFile(dir: string): string {
  const files = readdirSync(join(dir, 'own')).filter((f) => f.endsWith('.v8'));
  assert.equal(files.length, 1, `one file for this Node: ${files.join(', ')}`);
  assert.ok(files[0]!.startsWith(`${process.version}-${process.arch}-`));
  return join(dir, 'own', files[0]!);
}

test('checksum.wat assembles to the bytes canon embeds', async () => {
  const wabt = await wabtInit();
  const text = readFileSync(fileURLToPath(new URL('../../ts-host/cli/checksum.wat', import.meta.url)), 'utf8');
  const bytes = wabt.parseWat('checksum.wat', text).toBinary({}).buffer;
  assert.equal(Buffer.from(bytes).toString('base64'), CHECKSUM_WASM);
});

test('the checksum notices every single flipped byte, and a changed length', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 70_000, size: 'max' }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, mask) => {
      const flipped = Uint8Array.from(data);
      flipped[at % data.length]! ^= mask;
      assert.notEqual(checksum(flipped), checksum(data));
      assert.notEqual(checksum(data.subarray(0, data.length - 1)), checksum(data));
    }),
    { numRuns: 100 },
  );
});

test('first run writes the code cache, the next one uses it, with the same output', () => {
  const dir = join(scratch, `cache-${dirs++}`);
  const first = run(dir);
  assert.equal(first.state, 'miss');
  assert.equal(first.stdout, 'x is 42\n');
  ownFile(dir);
  const second = run(dir);
  assert.equal(second.state, 'hit');
  assert.equal(second.stdout, first.stdout);
  // --no-cache is about the program's modules: no module records were written.
  assert.deepEqual(readdirSync(dir), ['own']);
});

test('flipped bytes, a truncated file and data V8 refuses: ignored, then written again', () => {
  const dir = join(scratch, `cache-${dirs++}`);
  run(dir);
  const file = ownFile(dir);
  const good = readFileSync(file);
  const damaged: Array<[string, () => void, string]> = [
    // In the middle of V8's payload: V8 would deserialize it (and crash); the checksum refuses it.
    ['flipped byte', () => writeFileSync(file, Buffer.from(good).fill(good[good.length >> 1]! ^ 0xff, good.length >> 1, (good.length >> 1) + 1)), 'bad checksum'],
    ['truncated', () => truncateSync(file, 100), 'bad checksum'],
    ['empty', () => writeFileSync(file, ''), 'bad checksum'],
  ];
  for (const [what, damage, state] of damaged) {
    damage();
    const r = run(dir);
    assert.equal(r.state, state, what);
    assert.equal(r.stdout, 'x is 42\n', what);
    assert.equal(run(dir).state, 'hit', `${what}: written again`);
  }
  // A file whose checksum matches but whose data V8 refuses (another V8's header).
  const data = Buffer.from(readFileSync(file).subarray(8));
  data.fill(0x5a, 0, 16);
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(checksum(data));
  writeFileSync(file, Buffer.concat([header, data]));
  const refused = run(dir);
  assert.equal(refused.state, 'rejected');
  assert.equal(refused.stdout, 'x is 42\n');
  assert.equal(run(dir).state, 'hit', 'rejected: written again');
});

test("other builds' files of this Node: the three newest stay (two installs run in turn keep theirs), the rest go", () => {
  const dir = join(scratch, `cache-${dirs++}`);
  mkdirSync(join(dir, 'own'), { recursive: true });
  const prefix = `${process.version}-${process.arch}-`;
  const others = [1, 2, 3, 4, 5].map((i) => `${prefix}${i}-${i}-${i}.v8`);
  others.forEach((name, i) => {
    writeFileSync(join(dir, 'own', name), 'another build');
    utimesSync(join(dir, 'own', name), 1_000_000 + i, 1_000_000 + i);
  });
  writeFileSync(join(dir, 'own', 'v0.0.0-x64-1-1-1.v8'), 'another Node');
  assert.equal(run(dir).state, 'miss');
  const left = readdirSync(join(dir, 'own')).sort();
  const ours = left.filter((name) => name.startsWith(prefix) && !others.includes(name));
  assert.equal(ours.length, 1, 'this build wrote its file');
  assert.deepEqual(left.filter((name) => others.includes(name)).sort(), others.slice(2).sort(), 'the three newest of the others');
  assert.ok(left.includes('v0.0.0-x64-1-1-1.v8'), "another Node's file stays");
  assert.equal(run(dir).state, 'hit');
});

test('CANON_CACHE=0 and an unsafe directory: no code cache, nothing written, same output', { skip: process.getuid === undefined && 'POSIX modes' }, () => {
  const off = join(scratch, `cache-${dirs++}`);
  const r = run(off, { CANON_CACHE: '0' });
  assert.equal(r.state, 'off');
  assert.equal(r.stdout, 'x is 42\n');
  assert.equal(existsSync(off), false);

  const unsafe = join(scratch, `cache-${dirs++}`);
  mkdirSync(join(unsafe, 'own'), { recursive: true });
  chmodSync(join(unsafe, 'own'), 0o777);
  const u = run(unsafe);
  assert.equal(u.state, 'off');
  assert.equal(u.stdout, 'x is 42\n');
  assert.deepEqual(readdirSync(join(unsafe, 'own')), []);
});
