// The built modules' interface, read with wabt: exactly the imports and
// exports (with signatures) the host expects, so an accidental runtime
// import, a renamed export or a changed signature fails here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import wabtInit from 'wabt';
import { CORE_EXPORTS, CORE_IMPORTS } from '../ts-host/core/index.js';

const wabt = await wabtInit();

/** The host's expectation of every export's signature. */
const SIGNATURES: Record<(typeof CORE_EXPORTS)[number], string> = {
  alloc: '(i32) -> (i32)',
  free: '(i32) -> ()',
  pendingAllocation: '() -> (i32)',
  clearPendingAllocation: '() -> ()',
  xxh64: '(i32 i32 i64) -> (i64)',
  xxh3_64: '(i32 i32 i64) -> (i64)',
  xxh3_128: '(i32 i32 i64) -> (i64)',
  xxh3_128_high: '() -> (i64)',
  internerNew: '(i32 i64 i64) -> (i32)',
  internerFree: '(i32) -> ()',
  internerLookup: '(i32 i32 i32) -> (i32)',
  internerIntern: '(i32 i32 i32) -> (i32)',
  internerInternMany: '(i32 i32 i32 i32 i32) -> ()',
  internerDelete: '(i32 i32 i32) -> (i32)',
  internerDeleteId: '(i32 i32) -> (i32)',
  internerBytesPtr: '(i32 i32) -> (i32)',
  internerBytesLength: '(i32 i32) -> (i32)',
  internerCount: '(i32) -> (i32)',
  internerIdLimit: '(i32) -> (i32)',
  internerCapacity: '(i32) -> (i32)',
  tableNew: '(i32 i64 i64) -> (i32)',
  tableFree: '(i32) -> ()',
  tableSet: '(i32 i32 i32 i32 i32 i32) -> (i32)',
  tableGet: '(i32 i32 i32 i32 i32) -> (i32)',
  tableDelete: '(i32 i32 i32 i32 i32) -> (i32)',
  tableCount: '(i32) -> (i32)',
  tableCapacity: '(i32) -> (i32)',
  tableClear: '(i32) -> ()',
  tableDump: '(i32 i32) -> (i32)',
};

interface Interface {
  imports: { module: string; name: string; kind: string; detail: string }[];
  exports: Map<string, string>;
}

/** Reads imports and exported function signatures from wabt's text output. */
function readInterface(file: string): Interface {
  // A fresh Uint8Array: wabt reads the whole underlying ArrayBuffer, and Node 26 may hand back a pooled slice.
  const bytes = new Uint8Array(readFileSync(new URL(`../../build/${file}`, import.meta.url)));
  const module = wabt.readWasm(bytes, { readDebugNames: false, simd: true, bulk_memory: true });
  const text = module.toText({ foldExprs: false, inlineExport: false });
  module.destroy();
  const types = new Map<string, string>();
  for (const m of text.matchAll(/\(type \(;(\d+);\) \(func(.*)\)\)\n/g)) {
    const params = /\(param ([^)]*)\)/.exec(m[2]!)?.[1] ?? '';
    const results = /\(result ([^)]*)\)/.exec(m[2]!)?.[1] ?? '';
    types.set(m[1]!, `(${params}) -> (${results})`);
  }
  const imports: Interface['imports'] = [];
  let importedFuncs = 0;
  for (const m of text.matchAll(/\(import "([^"]+)" "([^"]+)" \((\w+) (.*)\)\)\n/g)) {
    if (m[3] === 'func') importedFuncs++;
    imports.push({ module: m[1]!, name: m[2]!, kind: m[3] === 'func' ? 'function' : m[3]!, detail: m[4]! });
  }
  const funcTypes = new Map<string, string>();
  for (const m of text.matchAll(/\(func \(;(\d+);\) \(type (\d+)\)/g)) funcTypes.set(m[1]!, types.get(m[2]!)!);
  const exports = new Map<string, string>();
  for (const m of text.matchAll(/\(export "([^"]+)" \((\w+) (\d+)\)\)/g)) {
    exports.set(m[1]!, m[2] === 'func' ? funcTypes.get(m[3]!) ?? `imported func ${m[3]}` : m[2]!);
  }
  assert.ok(importedFuncs <= imports.length);
  return { imports, exports };
}

for (const file of ['release.wasm', 'debug.wasm']) {
  test(`${file} imports exactly env.memory (no maximum) and env.abort`, () => {
    const { imports } = readInterface(file);
    assert.deepEqual(
      imports.map(({ module, name, kind }) => ({ module, name, kind })),
      CORE_IMPORTS.map(({ module, name, kind }) => ({ module, name, kind })),
    );
    const memory = imports.find((i) => i.kind === 'memory')!;
    assert.match(memory.detail, /^\(;0;\) 1$/, 'minimum 1 page, no declared maximum: the host chooses it');
  });

  test(`${file} exports exactly the functions the host calls, with their signatures`, () => {
    const { exports } = readInterface(file);
    assert.deepEqual([...exports.keys()].sort(), [...CORE_EXPORTS].sort());
    for (const name of CORE_EXPORTS) assert.equal(exports.get(name), SIGNATURES[name], name);
  });
}
