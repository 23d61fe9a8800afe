// The module record of a Wasm module: a generated JS facade, a
// vm.SourceTextModule whose requests are exactly the Wasm module's import
// module names, so the loader links it like any JS module:
//
//   import { "f" as i0, "g" as i1 } from "./env.js";    one per import module, in request order
//   import { "h" as i2 } from "./other.wasm";
//   const w = import.meta.wasm;
//   const v = w.execute([() => i0, () => i1, () => i2]);  ExecuteModule: imports, instance, start
//   let e0 = v[0], e1 = v[1];                         one binding per export
//   export { e0 as "run", e1 as "counter" };
//   w.live((i, x) => { switch (i) { case 1: e1 = x; break; } });   only with global exports
//
// Named imports make the engine check at link time that every imported
// binding exists (a SyntaxError naming the module and the field, as for JS
// imports: the spec's ExecuteModule asserts the bindings were "validated
// during environment initialization"); the getters read them lazily, in the
// spec's order, only for imports that do not come from a Wasm module. Until
// the facade runs, its export bindings are uninitialised (TDZ), as the
// record's environment is before ExecuteModule. The WebAssembly.Module and
// the host functions reach the facade through import.meta (never globals).

import vm from 'node:vm';
import type { GraphNode } from '../module-graph.js';
import { mark, profile, spent } from '../profile.js';
import { executeModule, startLiveBindings } from './execute.js';
import { setRecordState, type WasmRecordState } from './instances.js';
import { wasmInterface, type WasmInterface } from './interface.js';

/** The facade's source text for a Wasm module's interface. */
export function facadeText(iface: WasmInterface): string {
  const lines: string[] = [];
  for (const module of iface.requests) {
    const names: string[] = [];
    iface.bindings.forEach((b, i) => {
      if (b.module === module) names.push(`${JSON.stringify(b.name)} as i${i}`);
    });
    lines.push(`import { ${names.join(', ')} } from ${JSON.stringify(module)};`);
  }
  lines.push('const w = import.meta.wasm;');
  lines.push(`const v = w.execute([${iface.bindings.map((_, i) => `() => i${i}`).join(', ')}]);`);
  const exports = iface.exports;
  if (exports.length > 0) {
    lines.push(`let ${exports.map((_, i) => `e${i} = v[${i}]`).join(', ')};`);
    lines.push(`export { ${exports.map((e, i) => `e${i} as ${JSON.stringify(e.name)}`).join(', ')} };`);
  }
  const globals = exports.flatMap((e, i) => (e.kind === 'global' ? [i] : []));
  if (globals.length > 0) {
    lines.push(`w.live((i, x) => { switch (i) { ${globals.map((i) => `case ${i}: e${i} = x; break;`).join(' ')} } });`);
  }
  return lines.join('\n') + '\n';
}

/** The host side of one facade, reached as import.meta.wasm. */
interface FacadeHost {
  execute(getters: (() => unknown)[]): unknown[];
  live(set: (index: number, value: unknown) => void): void;
}

/** Creates the module record (the facade) of the loaded Wasm module of `entry` (its node in the graph). */
export function createWasmFacade(entry: GraphNode, wasmModule: WebAssembly.Module): vm.SourceTextModule {
  const iface = wasmInterface(wasmModule);
  const state: WasmRecordState = {
    entry,
    url: entry.key,
    module: wasmModule,
    iface,
    instance: undefined,
    refresh: undefined,
  };
  let liveIndexes: number[] = [];
  let facade: vm.SourceTextModule;
  const host: FacadeHost = {
    execute: (getters) => {
      const result = executeModule(state, facade.namespace, (binding) => getters[binding]!());
      liveIndexes = result.live;
      return result.values;
    },
    live: (set) => {
      if (liveIndexes.length > 0) startLiveBindings(state, liveIndexes, liveIndexes.map((i) => (x: unknown) => set(i, x)));
    },
  };
  const start = mark();
  try {
    facade = new vm.SourceTextModule(facadeText(iface), {
      identifier: entry.key,
      context: entry.realm.context,
      initializeImportMeta: (meta) => {
        (meta as { wasm?: FacadeHost }).wasm = host;
      },
    });
  } finally {
    spent('compile', start);
  }
  profile.modules++;
  setRecordState(facade, state);
  return facade;
}
