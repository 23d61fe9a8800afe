// Golden tests of how `canon run` prints a program's uncaught error, against
// node for the same program (tests/fixtures/errors/, one program per kind of
// error), on the Node running this suite (npm test runs it on Node 20 and
// Node 26). Both reports are read into the same fields (support/error-report.ts):
// the first line (file:line), the marked source line, the caret's column,
// the "Name: message" line and the first stack frame must be node's, except
// where a fixture pins a difference ("differs": what node prints, what canon
// prints, and why; README "Errors" lists them).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCanonReport, parseNodeReport, type ErrorReport } from './support/error-report.js';
import { runNative, runNode } from './support/graphs.js';
import { shouldColour } from '../ts-host/diagnostics/colour.js';
import { originalColumn } from '../ts-host/diagnostics/lowered-columns.js';
import { phaseEdits, lowerPhases } from '../ts-host/loader/lower.js';
import { lexModule } from '../ts-host/sources/analyze-js.js';
import { formatUncaught, withoutSite } from '../ts-host/cli/print-error.js';
import { importedNameSite, specifierSite } from '../ts-host/diagnostics/import-site.js';
import { describeSite } from '../ts-host/errors.js';
import fc from 'fast-check';
import { Registry } from '../ts-host/index.js';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const ROOT = fileURLToPath(new URL('../../tests/fixtures/errors/', import.meta.url));

type Field = keyof ErrorReport;
interface Fixture {
  description: string;
  entry?: string;
  /** "node": an error after the program's import (a timer's, an unhandled rejection), which node prints itself under canon too. */
  printedBy?: 'node';
  differs?: { reason: string; node: Partial<ErrorReport>; canon: Partial<ErrorReport> };
}

const FIELDS: Field[] = ['location', 'source', 'caret', 'width', 'headline', 'firstFrame'];

for (const name of readdirSync(ROOT).sort()) {
  const dir = join(ROOT, name);
  const fixture = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as Fixture;
  const entry = join(dir, fixture.entry ?? 'main.mjs');
  test(`error format: ${name} (Node ${process.versions.node}): ${fixture.description}`, () => {
    const native = runNative(process.execPath, entry);
    const canon = runNode(process.execPath, [...FLAGS, cli, 'run', entry], entry);
    const context = `--- node stderr\n${native.stderr}--- canon stderr\n${canon.stderr}`;
    assert.equal(native.status, 1, context);
    assert.equal(canon.status, 1, context);
    assert.equal(canon.stdout, native.stdout, context);
    const ours = fixture.printedBy === 'node' ? parseNodeReport(canon.stderr) : parseCanonReport(canon.stderr);
    const theirs = parseNodeReport(native.stderr);
    // Every report names a place with a frame and says what failed.
    for (const field of ['location', 'source', 'caret', 'headline'] as const) assert.notEqual(ours[field], undefined, `canon's ${field}\n${context}`);
    const pinned = fixture.differs;
    const expand = (value: unknown) => (typeof value === 'string' ? value.replace('{dir}', pathToFileURL(dir + '/').href) : value);
    for (const field of FIELDS) {
      if (pinned && field in pinned.canon) {
        assert.equal(ours[field], expand(pinned.canon[field]), `canon's ${field} (pinned: ${pinned.reason})\n${context}`);
        if (!(field in pinned.node)) continue;
        const nodeValue = pinned.node[field];
        if (typeof nodeValue === 'string') assert.ok(theirs[field]?.toString().startsWith(nodeValue), `node's ${field} starts with ${nodeValue} (pinned)\n${context}`);
        else assert.equal(theirs[field], nodeValue, `node's ${field} (pinned)\n${context}`);
        continue;
      }
      // At the end of the input node prints no caret, canon one.
      if (field === 'width' && theirs.width === 0) continue;
      // node's first frame for a load or link error is inside node's loader: canon prints none.
      if (field === 'firstFrame' && !theirs.firstFrame?.includes(pathToFileURL(dir).href) && !theirs.firstFrame?.includes(dir)) continue;
      assert.equal(ours[field], theirs[field], `${field}\n${context}`);
    }
    // canon's loader never shows in a program's report.
    assert.doesNotMatch(canon.stderr, /dist\/ts-host|node:internal\/vm/, context);
  });
}

function runCanon(entry: string, env: NodeJS.ProcessEnv) {
  const clean = { ...process.env };
  for (const key of ['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'CANON_STACK']) delete clean[key];
  return spawnSync(process.execPath, [...FLAGS, cli, 'run', entry], { env: { ...clean, ...env }, encoding: 'utf8' });
}

test('error format: colour only when asked for on a pipe (FORCE_COLOR), never with FORCE_COLOR=0; the text is the same', () => {
  const entry = join(ROOT, 'runtime-dependency', 'main.mjs');
  const plain = runCanon(entry, {});
  const forced = runCanon(entry, { FORCE_COLOR: '1' });
  const off = runCanon(entry, { FORCE_COLOR: '0' });
  const noColour = runCanon(entry, { NO_COLOR: '1' });
  const ansi = /\x1b\[[0-9;]*m/g;
  assert.doesNotMatch(plain.stderr, ansi, 'stderr is a pipe: no colour');
  assert.match(forced.stderr, ansi, 'FORCE_COLOR=1 colours a pipe, as node does');
  assert.doesNotMatch(off.stderr, ansi);
  assert.doesNotMatch(noColour.stderr, ansi);
  assert.equal(forced.stderr.replace(ansi, ''), plain.stderr, 'colour adds escapes, nothing else');
});

test("shouldColour follows node's rule: FORCE_COLOR first, then a TTY without NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb", () => {
  const tty = { isTTY: true, getColorDepth: () => 8 };
  const monochrome = { isTTY: true, getColorDepth: () => 1 };
  const pipe = { isTTY: false };
  const cases: [object, NodeJS.ProcessEnv, boolean][] = [
    [tty, {}, true],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, false],
    [tty, { NODE_DISABLE_COLORS: '1' }, false],
    [tty, { TERM: 'dumb' }, false],
    [monochrome, {}, false],
    [pipe, {}, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [pipe, { FORCE_COLOR: '' }, true],
    [pipe, { FORCE_COLOR: '3' }, true],
    [tty, { FORCE_COLOR: '0' }, false],
    [tty, { FORCE_COLOR: 'false' }, false],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ];
  for (const [stream, env, expected] of cases) assert.equal(shouldColour(stream, env), expected, `${JSON.stringify(stream)} ${JSON.stringify(env)}`);
});

test('CANON_STACK=1 prints the error in full: canon\'s own frames and the error\'s properties', () => {
  const entry = join(ROOT, 'not-found', 'main.mjs');
  const full = runCanon(entry, { CANON_STACK: '1' });
  assert.equal(full.status, 1);
  assert.match(full.stderr, /dist\/ts-host/, 'canon\'s frames');
  assert.match(full.stderr, /code: 'ERR_MODULE_NOT_FOUND'/);
  assert.match(full.stderr, /specifier: '\.\/helpers\/missing\.mjs'/);
});

test('messages name the specifier, the importer and the module once each, in plain words (no phase names)', async () => {
  const registry = new Registry({ baseURL: pathToFileURL(ROOT).href });
  const count = (text: string, part: string) => text.split(part).length - 1;
  const notFound = await registry.import('./not-found/main.mjs').then(() => assert.fail('expected an error'), (e: Error) => e);
  const importer = join(ROOT, 'not-found', 'main.mjs');
  const missing = join(ROOT, 'not-found', 'helpers', 'missing.mjs');
  assert.equal(count(notFound.message, importer), 1, notFound.message);
  assert.equal(count(notFound.message, pathToFileURL(importer).href), 0, notFound.message);
  assert.equal(count(notFound.message, missing), 1, notFound.message);
  assert.equal(count(notFound.message, '"./helpers/missing.mjs"'), 1, notFound.message);
  assert.doesNotMatch(notFound.message, /phase|evaluation/);
  for (const fixture of ['missing-export', 'ambiguous-export']) {
    const link = await registry.import(`./${fixture}/main.mjs`).then(() => assert.fail('expected an error'), (e: Error) => e);
    assert.equal(count(link.message, pathToFileURL(join(ROOT, fixture, 'main.mjs')).href), 1, link.message);
    assert.equal(count(link.message, ' ('), 1, `one site suffix: ${link.message}`);
  }
});

test('lowered columns map back to the program\'s: a throw after any lowered call on a line is where the program wrote it', () => {
  // Random lines mixing phase calls and dynamic imports of variables, then a marker:
  // the marker's column in the lowered text must map to its column in the original.
  const piece = fc.constantFrom('import.source(a); ', 'import.defer(b); ', 'import(c); ', 'import("./d.js"); ', 'x.y(); ', '/* import(e) */ ');
  fc.assert(fc.property(fc.array(fc.array(piece, { maxLength: 4 }), { minLength: 1, maxLength: 4 }), fc.nat(3), (lines, pick) => {
    const markerLine = pick % lines.length;
    const text = lines.map((pieces, i) => pieces.join('') + (i === markerLine ? 'MARK;' : '')).join('\n') + '\n';
    const lex = lexModule(text);
    const lowered = lowerPhases(text, lex) ?? text;
    const edits = phaseEdits(text, lex) ?? [];
    const loweredLine = lowered.split('\n')[markerLine]!;
    const originalLine = text.split('\n')[markerLine]!;
    assert.equal(originalColumn(text, edits, markerLine + 1, loweredLine.indexOf('MARK') + 1), originalLine.indexOf('MARK') + 1);
  }));
});

test('withoutSite takes off exactly the site describeSite added', () => {
  const site = { specifier: './x.js', referrer: 'file:///app/main.js', url: 'file:///app/x.js', phase: 'source' as const };
  for (const base of ['Cannot do it', 'It failed (twice)', "The requested module './x.js' is broken", 'Cannot find module \'/app/x.js\' imported from /app/main.js']) {
    const message = base + describeSite(site, base);
    assert.equal(withoutSite(message, site), base);
  }
  assert.equal(withoutSite('A message (with a parenthesis)', {}), 'A message (with a parenthesis)');
});

test('importedNameSite marks the imported name as V8 does (checked against node by hand: the same columns), specifierSite the literal', () => {
  const cases: [string, string, string, { line: number; column: number; endColumn: number } | undefined][] = [
    ["import { nope as x } from './dep.mjs';", './dep.mjs', 'nope', { line: 1, column: 10, endColumn: 14 }],
    ["import def, { b } from './dep.mjs';", './dep.mjs', 'default', { line: 1, column: 8, endColumn: 11 }],
    ["export { zz } from './dep.mjs';", './dep.mjs', 'zz', { line: 1, column: 10, endColumn: 12 }],
    ["import {\n  a, // a comment naming b\n  'b-c' as bc,\n} from './dep.mjs';", './dep.mjs', 'b-c', { line: 3, column: 3, endColumn: 8 }],
    ["import { a as b } from './dep.mjs';", './dep.mjs', 'b', undefined],
    ["import { b } from './other.mjs';\nimport { b as c } from './dep.mjs';", './dep.mjs', 'b', { line: 2, column: 10, endColumn: 11 }],
  ];
  for (const [text, specifier, name, expected] of cases) assert.deepEqual(importedNameSite(text, specifier, name), expected, text);
  assert.deepEqual(specifierSite("const x = 1;\nimport './a.mjs';", './a.mjs'), { line: 2, column: 8, endColumn: 17 });
  assert.deepEqual(specifierSite("await import('./a.mjs');", './a.mjs'), { line: 1, column: 14, endColumn: 23 });
  assert.deepEqual(specifierSite("const a = require(\"./a.cjs\");\nreturn;", './a.cjs'), { line: 1, column: 19, endColumn: 28 });
});

test('a value whose properties throw is still reported', () => {
  const hostile = new Proxy(new Error('x'), { get() { throw new Error('no'); }, has() { return true; } });
  assert.match(formatUncaught(hostile), /^Uncaught /);
  assert.equal(formatUncaught(42), 'Uncaught 42\n');
});

test("an error canon itself threw, every frame its own, is its message and properties, not node's bracketed form", () => {
  const error = Object.assign(new Error('the cache directory is unsafe'), { reason: 'unsafe' });
  error.stack = `Error: the cache directory is unsafe\n    at open (${new URL('../ts-host/cache/index.js', import.meta.url).href}:1:1)`;
  assert.equal(formatUncaught(error), "Error: the cache directory is unsafe { reason: 'unsafe' }\n");
});
