// JS String Builtins (WebAssembly/js-string-builtins) for Wasm ES modules.
// The ESM integration compiles with builtinSetNames « "js-string" » and the
// imported string constants of "wasm:js/string-constants" ("parse a
// WebAssembly module"; WPT's esm-integration tests): an import
// ("wasm:js-string", name) naming a builtin, or a global imported from
// "wasm:js/string-constants", is not a module request.
//
// canon compiles every source with those options (sources/wasm-source.ts), so
// an engine that has them resolves these imports itself. Where the engine
// ignores the options, the facade supplies them as import values: the name
// itself for a string constant, and for the builtins the engine's own ones
// where it has them (taken from a tiny helper module compiled with
// `builtins: ['js-string']`, so they keep
// their exact Wasm types and the engine's fast paths), else the JS
// definitions of the proposal (ToUint32 of i32 arguments, traps as
// WebAssembly.RuntimeError). The two array builtins need Wasm GC arrays and
// exist only where the engine has them (an engine without GC cannot compile
// a module that imports them anyway).

import { leb, name, vectorSection } from './encode.js';

export const JS_STRING_MODULE = 'wasm:js-string';
/** The import module of imported string constants: (import "wasm:js/string-constants" "text" (global externref)) is the string "text". */
export const STRING_CONSTANTS_MODULE = 'wasm:js/string-constants';

const NAMES = [
  'cast', 'test', 'fromCharCodeArray', 'intoCharCodeArray', 'fromCharCode', 'fromCodePoint',
  'charCodeAt', 'codePointAt', 'length', 'concat', 'substring', 'equals', 'compare',
] as const;

type BuiltinName = (typeof NAMES)[number];

const NAME_SET = new Set<string>(NAMES);

/**
 * "Find a builtin": whether (module, name) is a js-string builtin function or
 * an imported string constant, which the host supplies (an engine that
 * compiled with the options leaves them out of the module's imports).
 */
export function isBuiltinImport(module: string, name: string, kind: string): boolean {
  if (module === STRING_CONSTANTS_MODULE) return kind === 'global';
  return module === JS_STRING_MODULE && kind === 'function' && NAME_SET.has(name);
}

/** The import value of a builtin import (isBuiltinImport), or undefined where the engine lacks it. */
export function builtinImportValue(module: string, name: string): unknown {
  return module === STRING_CONSTANTS_MODULE ? name : jsStringBuiltins()[name];
}

function trap(): never {
  throw new WebAssembly.RuntimeError('illegal cast');
}

/** The proposal's JS definitions (its "polyfill"), for engines without the builtins. */
const polyfill: Partial<Record<BuiltinName, (...args: never[]) => unknown>> = {
  cast: (v: unknown) => (typeof v === 'string' ? v : trap()),
  test: (v: unknown) => (typeof v === 'string' ? 1 : 0),
  fromCharCode: (code: number) => String.fromCharCode(code >>> 0),
  fromCodePoint: (code: number) => ((code >>> 0) > 0x10ffff ? trap() : String.fromCodePoint(code >>> 0)),
  charCodeAt: (s: unknown, index: number) => {
    if (typeof s !== 'string' || index >>> 0 >= s.length) trap();
    return s.charCodeAt(index >>> 0);
  },
  codePointAt: (s: unknown, index: number) => {
    if (typeof s !== 'string' || index >>> 0 >= s.length) trap();
    return s.codePointAt(index >>> 0)!;
  },
  length: (s: unknown) => (typeof s === 'string' ? s.length : trap()),
  concat: (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a + b : trap()),
  substring: (s: unknown, start: number, end: number) => {
    if (typeof s !== 'string') trap();
    const from = start >>> 0;
    const to = end >>> 0;
    return from > s.length || to > s.length || from > to ? '' : s.substring(from, to);
  },
  equals: (a: unknown, b: unknown) => {
    if ((a !== null && typeof a !== 'string') || (b !== null && typeof b !== 'string')) trap();
    return a === b ? 1 : 0;
  },
  compare: (a: unknown, b: unknown) => {
    if (typeof a !== 'string' || typeof b !== 'string') trap();
    return a === b ? 0 : a < b ? -1 : 1;
  },
};

// ---- the engine's builtins, re-exported by a helper module -------------------

const EXTERNREF = 0x6f;
const I32 = 0x7f;
const REF_EXTERN = [0x64, 0x6f];
const REF_NULL_ARRAY16 = [0x63, 0x00];

/** Each builtin's Wasm type: [params, results], value types as byte sequences. */
const TYPES: Record<BuiltinName, [number[][], number[][]]> = {
  cast: [[[EXTERNREF]], [REF_EXTERN]],
  test: [[[EXTERNREF]], [[I32]]],
  fromCharCodeArray: [[REF_NULL_ARRAY16, [I32], [I32]], [REF_EXTERN]],
  intoCharCodeArray: [[[EXTERNREF], REF_NULL_ARRAY16, [I32]], [[I32]]],
  fromCharCode: [[[I32]], [REF_EXTERN]],
  fromCodePoint: [[[I32]], [REF_EXTERN]],
  charCodeAt: [[[EXTERNREF], [I32]], [[I32]]],
  codePointAt: [[[EXTERNREF], [I32]], [[I32]]],
  length: [[[EXTERNREF]], [[I32]]],
  concat: [[[EXTERNREF], [EXTERNREF]], [REF_EXTERN]],
  substring: [[[EXTERNREF], [I32], [I32]], [REF_EXTERN]],
  equals: [[[EXTERNREF], [EXTERNREF]], [[I32]]],
  compare: [[[EXTERNREF], [EXTERNREF]], [[I32]]],
};

/** (module (type (array (mut i16))) (import "wasm:js-string" <each> ...) (export <each> ...)) */
function helperBytes(): Uint8Array {
  const types = [[0x5e, 0x77, 0x01], ...NAMES.map((n) => {
    const [params, results] = TYPES[n];
    return [0x60, ...leb(params.length), ...params.flat(), ...leb(results.length), ...results.flat()];
  })];
  const imports = NAMES.map((n, i) => [...name(JS_STRING_MODULE), ...name(n), 0x00, ...leb(i + 1)]);
  const exports = NAMES.map((n, i) => [...name(n), 0x00, ...leb(i)]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...vectorSection(1, types), ...vectorSection(2, imports), ...vectorSection(7, exports)]);
}

let builtins: Record<string, unknown> | undefined;

/** The js-string builtins as import values: the engine's where it has them, else JS definitions. */
export function jsStringBuiltins(): Record<string, unknown> {
  if (builtins) return builtins;
  try {
    // The compile options argument (js-string-builtins) is not in the DOM typings yet.
    const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array, options: object) => WebAssembly.Module;
    const helper = new Module(helperBytes(), { builtins: ['js-string'] });
    // An engine that ignores the option leaves the imports in place.
    if (WebAssembly.Module.imports(helper).length === 0) {
      builtins = { ...new WebAssembly.Instance(helper, {}).exports };
      return builtins;
    }
  } catch {
    // No GC types (Node 20): the JS definitions below.
  }
  builtins = { ...polyfill };
  return builtins;
}
