// Source analysis (ts-host/sources/analyze-js.ts, analyze-wasm.ts): a table
// of real-world-shaped module texts with their full analysis written out by
// hand (tests/fixtures/analysis/cases.json), bad input, Wasm modules built
// from WAT, and differential checks against Node 26's own module parser
// (vm.SourceTextModule: moduleRequests and hasTopLevelAwait()) and its
// native `import source` of a .wasm.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import wabtInit from 'wabt';
import { hasTopLevelAwait, lexModule, lineColumn, moduleExports, type LexResult } from '../ts-host/sources/analyze-js.js';
import { analyzeWasm } from '../ts-host/sources/analyze-wasm.js';
import type { ImportPhase, ModuleExport, ModuleImport } from '../ts-host/sources/analysis.js';
import { InvalidArgumentError, ModuleSyntaxError } from '../ts-host/errors.js';
import { node26 } from './support/node26.js';

interface Case {
  name: string;
  text: string | string[];
  imports: ModuleImport[];
  exports: ModuleExport[];
  importMeta: boolean;
  hasTopLevelAwait: boolean;
  dynamic?: { specifier: string | null; phase: ImportPhase }[];
  nativeSkip?: string;
}
interface ErrorCase {
  name: string;
  text: string | string[];
  in: ('lexModule' | 'moduleExports' | 'hasTopLevelAwait')[];
  line: number;
  column: number;
  message?: string;
  nativeSkip?: string;
}

const table = JSON.parse(readFileSync(new URL('../../tests/fixtures/analysis/cases.json', import.meta.url), 'utf8')) as { cases: Case[]; errors: ErrorCase[] };
const textOf = (c: { text: string | string[] }) => (Array.isArray(c.text) ? c.text.join('\n') : c.text);
const URL_ = 'file:///app/module.js';
const analyses = { lexModule, moduleExports, hasTopLevelAwait } as const;

/** Attributes are frozen, null-prototype and sorted; compare them as plain objects. */
function plainImports(imports: readonly ModuleImport[]): ModuleImport[] {
  return imports.map((i) => {
    if (i.attributes !== null) {
      assert.equal(Object.getPrototypeOf(i.attributes), null);
      assert.ok(Object.isFrozen(i.attributes));
    }
    return { specifier: i.specifier, phase: i.phase, attributes: i.attributes === null ? null : { ...i.attributes } };
  });
}

/** The positions LexResult gives the loader point where they say. */
function checkSites(text: string, lex: LexResult): void {
  for (const site of lex.staticImports) {
    const request = lex.imports[site.request]!;
    assert.equal(site.phase, request.phase);
    assert.equal(site.verbatim, text.slice(site.specifierStart, site.specifierEnd) === request.specifier);
    assert.match(text[site.specifierStart - 1]!, /['"]/);
    assert.match(text.slice(site.statementStart, site.statementEnd), /^(import|export)[^]*['"}]$/);
  }
  assert.ok(lex.importPositions.length === 0 || lex.importPositions.length === lex.imports.length);
  lex.importPositions.forEach((p, i) => assert.equal(text.slice(p.start, p.end), lex.imports[i]!.specifier));
  for (const site of lex.dynamicImports) {
    const callee = text.slice(site.start, site.openParen).replace(/\/\*[^]*?\*\/|\s/g, '');
    assert.equal(callee, site.phase === null ? 'import' : `import.${site.phase}`);
    assert.equal(text[site.openParen], '(');
    assert.equal(text[site.end - 1], ')');
    if (site.specifier !== undefined) assert.match(text.slice(site.argumentStart, site.argumentEnd), /^(['"]).*\1$/);
  }
}

test('the table has at least 45 cases, each with a unique name', () => {
  assert.ok(table.cases.length >= 45, `${table.cases.length} cases`);
  assert.equal(new Set(table.cases.map((c) => c.name)).size, table.cases.length);
});

for (const c of table.cases) {
  test(`analysis: ${c.name}`, () => {
    const text = textOf(c);
    const lex = lexModule(text, URL_);
    assert.deepEqual(plainImports(lex.imports), c.imports, 'imports()');
    for (const [i, expected] of c.imports.entries()) {
      // Spec: attributes sorted by key in code unit order (WithClauseToAttributes).
      if (expected.attributes) assert.deepEqual(Object.keys(lex.imports[i]!.attributes!), Object.keys(expected.attributes));
    }
    assert.equal(lex.importMeta, c.importMeta, 'importMeta');
    assert.deepEqual(moduleExports(text, URL_), c.exports, 'exports()');
    assert.equal(hasTopLevelAwait(text, URL_), c.hasTopLevelAwait, 'hasTopLevelAwait');
    if (c.dynamic) {
      assert.deepEqual(lex.dynamicImports.map((d) => ({ specifier: d.specifier ?? null, phase: d.phase })), c.dynamic, 'dynamic imports');
    }
    checkSites(text, lex);
  });
}

for (const e of table.errors) {
  test(`bad input: ${e.name}`, () => {
    const text = textOf(e);
    for (const fn of e.in) {
      assert.throws(() => analyses[fn](text, URL_), (error: unknown) => {
        assert.ok(error instanceof ModuleSyntaxError, `${fn}: ${String(error)}`);
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.code, 'ERR_CANON_MODULE_SYNTAX');
        assert.equal(error.url, URL_);
        assert.deepEqual({ fn, line: error.line, column: error.column }, { fn, line: e.line, column: e.column });
        assert.ok(error.message.includes(`${URL_}:${e.line}:${e.column}`), error.message);
        if (e.message) assert.ok(error.message.includes(e.message), error.message);
        return true;
      });
    }
  });
}

test('bad input: a non-string throws TypeError from every analysis', () => {
  for (const fn of Object.values(analyses)) {
    for (const value of [undefined, null, 42, {}, Buffer.from('export {}'), new String('export {}')]) {
      assert.throws(() => (fn as (t: unknown) => unknown)(value), (error: unknown) => error instanceof TypeError && error instanceof InvalidArgumentError);
    }
  }
});

test('errors without a url still carry line and column', () => {
  assert.throws(() => lexModule('let a = "x\n'), (error: unknown) =>
    error instanceof ModuleSyntaxError && error.url === undefined && error.line === 1 && error.column === 9); // where node's caret is
});

test('lineColumn counts every ECMAScript line terminator once', () => {
  const text = 'ab\r\ncd\ref\u2028gh\u2029ij\nkl';
  assert.deepEqual(lineColumn(text, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(text, 3), { line: 1, column: 4 }, 'on the LF of a CRLF');
  assert.deepEqual(lineColumn(text, 4), { line: 2, column: 1 });
  assert.deepEqual(lineColumn(text, 7), { line: 3, column: 1 });
  assert.deepEqual(lineColumn(text, 10), { line: 4, column: 1 });
  assert.deepEqual(lineColumn(text, 13), { line: 5, column: 1 });
  assert.deepEqual(lineColumn(text, 17), { line: 6, column: 2 });
});

test('lexModule: sites for the loader', () => {
  const text = "import a from './a.js';\nimport b from './a.js';\nconst w = import.source('./w.wasm', { with: {} });\nimport './\\u0063.js';";
  const lex = lexModule(text);
  assert.deepEqual(plainImports(lex.imports), [
    { specifier: './a.js', phase: null, attributes: null },
    { specifier: './c.js', phase: null, attributes: null },
  ]);
  assert.deepEqual(lex.staticImports, [
    { request: 0, phase: null, specifierStart: 15, specifierEnd: 21, verbatim: true, statementStart: 0, statementEnd: 22 },
    { request: 0, phase: null, specifierStart: 39, specifierEnd: 45, verbatim: true, statementStart: 24, statementEnd: 46 },
    { request: 1, phase: null, specifierStart: 107, specifierEnd: 118, verbatim: false, statementStart: 99, statementEnd: 119 },
  ]);
  assert.deepEqual(lex.importPositions, [], 'all or nothing: one specifier is escaped');
  assert.deepEqual(lex.dynamicImports, [
    { phase: 'source', specifier: './w.wasm', start: 58, end: 97, openParen: 71, argumentStart: 72, argumentEnd: 82, optionsStart: 84 },
  ]);
  assert.equal(text.slice(58, 97), "import.source('./w.wasm', { with: {} })");
  const plain = lexModule("import a from './a.js';\nexport * from 'b';");
  assert.deepEqual(plain.importPositions, [{ start: 15, end: 21 }, { start: 39, end: 40 }]);
});

test('lexModule deduplicates requests like a map of (specifier, phase, attributes), below and above its scan limit', async () => {
  const fc = (await import('fast-check')).default;
  const request = fc.record({
    specifier: fc.constantFrom('./a.js', './b.js', './c.json', 'pkg', './d.js'),
    phase: fc.constantFrom(null, 'source', 'defer'),
    json: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 60, size: 'max' }), fc.integer({ min: 0, max: 30 }), (requests, distinct) => {
    // Some distinct fillers move the duplicates past the scan limit.
    const all = [...requests.slice(0, 5), ...Array.from({ length: distinct }, (_, i) => ({ specifier: `./f${i}.js`, phase: null, json: false })), ...requests];
    const lines = all.map((r, i) => r.phase === 'defer'
      ? `import defer * as n${i} from '${r.specifier}'${r.json ? " with { type: 'json' }" : ''};`
      : `import ${r.phase === 'source' ? 'source ' : ''}x${i} from '${r.specifier}'${r.json ? " with { type: 'json' }" : ''};`);
    const expected = new Map<string, ModuleImport>();
    for (const r of all) {
      const attributes = r.json ? { type: 'json' } : null;
      const key = JSON.stringify([r.specifier, r.phase, attributes]);
      if (!expected.has(key)) expected.set(key, { specifier: r.specifier, phase: r.phase as ImportPhase, attributes });
    }
    const lex = lexModule(lines.join('\n'));
    assert.deepEqual(plainImports(lex.imports), [...expected.values()]);
    assert.equal(lex.staticImports.length, all.length);
    lex.staticImports.forEach((site, i) => assert.equal(lex.imports[site.request]!.specifier, all[i]!.specifier));
  }), { numRuns: 200 });
});

test('nested phase calls are rewritten for the parser without moving anything', () => {
  const text = 'export const m = import.source(import.defer("./x.js"));\nexport default await m;';
  assert.deepEqual(lexModule(text).dynamicImports.map((d) => [d.phase, d.specifier]), [['source', undefined], ['defer', './x.js']]);
  assert.deepEqual(moduleExports(text), [{ type: 'direct', names: ['default'] }, { type: 'direct', names: ['m'] }]);
  assert.equal(hasTopLevelAwait(text), true);
});

test('hasTopLevelAwait answers false without parsing when the text has no "await"', () => {
  // Documented fast path: an invalid text without the word is not parsed.
  assert.equal(hasTopLevelAwait('export { missing };'), false);
  assert.throws(() => moduleExports('export { missing };'), ModuleSyntaxError);
});

test('results are fresh objects on every call', () => {
  const text = "import a from './a.js' with { type: 'json' };\nexport { a };";
  assert.notEqual(lexModule(text).imports, lexModule(text).imports);
  assert.notEqual(moduleExports(text), moduleExports(text));
});

// ------------------------------------------------------------------ Wasm

const wabt = await wabtInit();
const wat = (text: string) => wabt.parseWat('m.wat', text, { exceptions: true }).toBinary({}).buffer as Uint8Array<ArrayBuffer>;

// Node 20 has one memory per module (no multi-memory): imported memory and
// exported memory live in separate modules.
const WAT = {
  imports: `(module
    (import "env" "log" (func (param i32)))
    (import "./state.js" "counter" (global (mut i32)))
    (import "env" "memory" (memory 1))
    (import "./tables.js" "table" (table 2 funcref))
    (import "env" "oops" (tag (param i32)))
    (import "./state.js" "limit" (global i64)))`,
  exports: `(module
    (func $run (export "run") (export "alias") (param i32) (result i32) local.get 0)
    (global (export "version") i32 (i32.const 3))
    (memory (export "memory") 1)
    (table (export "table") 1 funcref)
    (tag (export "Failure") (param i64)))`,
  empty: '(module)',
  builtins: `(module
    (import "wasm:js-string" "length" (func (param externref) (result i32)))
    (import "./host.js" "print" (func (param externref))))`,
};

test('analyzeWasm: every import kind, one request per module name in first-seen order', () => {
  const analysis = analyzeWasm(new WebAssembly.Module(wat(WAT.imports)));
  assert.deepEqual(analysis.imports, [
    { specifier: 'env', phase: null, attributes: null },
    { specifier: './state.js', phase: null, attributes: null },
    { specifier: './tables.js', phase: null, attributes: null },
  ]);
  assert.deepEqual(analysis.wasmImports, [
    { module: 'env', name: 'log', kind: 'function' },
    { module: './state.js', name: 'counter', kind: 'global' },
    { module: 'env', name: 'memory', kind: 'memory' },
    { module: './tables.js', name: 'table', kind: 'table' },
    { module: 'env', name: 'oops', kind: 'tag' },
    { module: './state.js', name: 'limit', kind: 'global' },
  ]);
  assert.deepEqual(analysis.exports, []);
  assert.deepEqual(analysis.wasmExports, []);
});

test('analyzeWasm: every export kind, one direct export with every name', () => {
  const analysis = analyzeWasm(new WebAssembly.Module(wat(WAT.exports)));
  assert.deepEqual(analysis.imports, []);
  assert.deepEqual(analysis.exports, [{ type: 'direct', names: ['Failure', 'alias', 'memory', 'run', 'table', 'version'] }]);
  assert.deepEqual(analysis.wasmExports, [
    { name: 'run', kind: 'function' },
    { name: 'alias', kind: 'function' },
    { name: 'version', kind: 'global' },
    { name: 'memory', kind: 'memory' },
    { name: 'table', kind: 'table' },
    { name: 'Failure', kind: 'tag' },
  ]);
});

test('analyzeWasm: an empty module, and anything but a module', () => {
  assert.deepEqual(analyzeWasm(new WebAssembly.Module(wat(WAT.empty))), { imports: [], exports: [], wasmImports: [], wasmExports: [] });
  for (const value of [undefined, null, {}, wat(WAT.empty), new WebAssembly.Instance(new WebAssembly.Module(wat(WAT.empty)))]) {
    assert.throws(() => analyzeWasm(value as WebAssembly.Module), (error: unknown) => error instanceof InvalidArgumentError && error instanceof TypeError);
  }
});

test('analyzeWasm agrees with Node 26 on its native `import source` of a .wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-analysis-'));
  try {
    for (const [name, text] of Object.entries(WAT)) writeFileSync(join(dir, `${name}.wasm`), wat(text));
    const analyzeUrl = new URL('../ts-host/sources/analyze-wasm.js', import.meta.url).href;
    const script = [
      `import { analyzeWasm } from ${JSON.stringify(analyzeUrl)};`,
      ...Object.keys(WAT).map((name) => `import source ${name} from './${name}.wasm';`),
      `const out = { ${Object.keys(WAT).map((name) => `${name}: analyzeWasm(${name})`).join(', ')} };`,
      `out.isModule = imports instanceof WebAssembly.Module;`,
      'console.log(JSON.stringify(out));',
    ].join('\n');
    writeFileSync(join(dir, 'main.mjs'), script);
    const r = spawnSync(node26(), ['--no-warnings', join(dir, 'main.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const native = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(native.isModule, true, 'a Wasm source is a WebAssembly.Module');
    for (const name of ['imports', 'exports', 'empty'] as const) {
      assert.deepEqual(native[name], analyzeWasm(new WebAssembly.Module(wat(WAT[name]))), name);
    }
    // Node 26 compiles Wasm sources with the js-string builtins, so the
    // `wasm:js-string` import is no import at all there (as the ESM
    // integration wants); a module compiled without them still lists it.
    assert.deepEqual(native.builtins, {
      imports: [{ specifier: './host.js', phase: null, attributes: null }],
      exports: [],
      wasmImports: [{ module: './host.js', name: 'print', kind: 'function' }],
      wasmExports: [],
    });
    assert.deepEqual(analyzeWasm(new WebAssembly.Module(wat(WAT.builtins))).imports.map((i) => i.specifier), ['wasm:js-string', './host.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------- Node 26, JS side

interface NativeResult {
  ok: boolean;
  name?: string;
  message?: string;
  tla?: boolean;
  requests?: { specifier: string; attributes: Record<string, string>; phase: string }[];
}

/** Parses every text with Node 26's vm.SourceTextModule in one child process. */
function parseOnNode26(texts: string[]): { hasApi: boolean; results: NativeResult[] } {
  const script = `
    import vm from 'node:vm';
    import { readFileSync } from 'node:fs';
    const texts = JSON.parse(readFileSync(0, 'utf8'));
    const hasApi = typeof vm.SourceTextModule?.prototype.hasTopLevelAwait === 'function';
    const results = texts.map((text) => {
      try {
        const m = new vm.SourceTextModule(text);
        return { ok: true, tla: hasApi ? m.hasTopLevelAwait() : undefined, requests: m.moduleRequests };
      } catch (error) {
        return { ok: false, name: error.name, message: error.message };
      }
    });
    console.log(JSON.stringify({ hasApi, results }));`;
  const r = spawnSync(node26(), ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', script], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { hasApi: boolean; results: NativeResult[] };
}

test('Node 26 agrees on imports and hasTopLevelAwait for every table case it parses', (t) => {
  const cases = table.cases.filter((c) => c.nativeSkip === undefined);
  const { hasApi, results } = parseOnNode26(cases.map(textOf));
  cases.forEach((c, i) => {
    const native = results[i]!;
    assert.ok(native.ok, `${c.name}: Node 26 rejects it: ${native.name}: ${native.message}`);
    const requests = native.requests!.map((r) => ({
      specifier: r.specifier,
      phase: r.phase === 'evaluation' ? null : r.phase,
      attributes: Object.keys(r.attributes).length === 0 ? null : { ...r.attributes },
    }));
    assert.deepEqual(plainImports(lexModule(textOf(c)).imports), requests, `${c.name}: imports`);
    if (hasApi) assert.equal(hasTopLevelAwait(textOf(c)), native.tla, `${c.name}: hasTopLevelAwait`);
  });
  // vm.SourceTextModule.prototype.hasTopLevelAwait() exists in Node 26.10;
  // should a later build drop it, only the imports half can be compared.
  if (!hasApi) t.skip('this Node 26 has no SourceTextModule.prototype.hasTopLevelAwait()');
});

test('Node 26 also rejects every bad-input text', () => {
  const errors = table.errors.filter((e) => e.nativeSkip === undefined);
  const { results } = parseOnNode26(errors.map(textOf));
  errors.forEach((e, i) => {
    assert.equal(results[i]!.ok, false, `${e.name}: Node 26 accepts it`);
    assert.equal(results[i]!.name, 'SyntaxError', e.name);
  });
});

test('Node 26 agrees on hasTopLevelAwait for generated nestings of await in every context', (t) => {
  // Each wrapper puts a statement in one context; two wrappers nest. `await x`
  // inside a computed key or heritage runs at the top level, in a body not.
  const inner = (s: string) => (s.includes('await x') ? 'await x' : 'k');
  const wrappers: ((s: string) => string)[] = [
    (s) => `{ ${s} }`,
    (s) => `if (x) ${s} else {}`,
    (s) => `try { ${s} } catch { ${s} } finally {}`,
    (s) => `label: for (;;) { ${s} break label; }`,
    (s) => `switch (x) { case 1: ${s} }`,
    (s) => `async function f() { ${s} }`,
    (s) => `const f = async () => { ${s} };`,
    (s) => `const g = async function* () { ${s} };`,
    (s) => `class A { async m() { ${s} } }`,
    (s) => `const o = { async m() { ${s} } };`,
    (s) => `class A { x = async () => { ${s} }; }`,
    (s) => `class A { static { const f = async () => { ${s} }; } }`,
    (s) => `const t = \`\${(async () => { ${s} })()}\`;`,
    (s) => `class A extends (${inner(s)}) {}`,
    (s) => `class A { [${inner(s)}]() {} }`,
    (s) => `class A { static [${inner(s)}] = async () => { ${s} }; }`,
    (s) => `const { [${inner(s)}]: v } = o;`,
  ];
  const leaves = ['await x;', 'for await (const a of b) {}', 'const s = "await x"; /* await x */', 'const re = /await x/; x.await;'];
  const texts = leaves.flatMap((leaf) => wrappers.flatMap((a) => wrappers.map((b) => `const x = 1, b = [], o = {}, k = 'k';\n${a(b(leaf))}`)));
  const { hasApi, results } = parseOnNode26(texts);
  if (!hasApi) return t.skip('this Node 26 has no SourceTextModule.prototype.hasTopLevelAwait()');
  let compared = 0;
  texts.forEach((text, i) => {
    if (!results[i]!.ok) return; // a nesting the grammar forbids; not ours to judge
    compared++;
    assert.equal(hasTopLevelAwait(text), results[i]!.tla, text);
  });
  assert.ok(compared > texts.length / 2, `${compared} of ${texts.length} compared`);
});
