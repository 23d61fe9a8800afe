// `canon analyze <file>`: the source analysis of a JS or Wasm module as JSON.

import { fs } from '../builtins.js';
import { analyzeWasm } from '../sources/analyze-wasm.js';
import { createModuleSource } from '../sources/module-source.js';
import { compileWasmSource } from '../sources/wasm-source.js';
import { entryURL } from './entry-url.js';

export function analyze(file: string): void {
  const url = entryURL(file);
  const bytes = fs.readFileSync(new URL(url));
  let result: object;
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x0061736d) {
    const module = compileWasmSource(bytes, { url });
    const { imports, exports, wasmImports, wasmExports } = analyzeWasm(module);
    result = { kind: 'WebAssembly.Module', url, imports, exports, importMeta: false, hasTopLevelAwait: false, wasmImports, wasmExports };
  } else {
    const source = createModuleSource(bytes.toString('utf8'), { url, attributes: undefined });
    result = { kind: 'ModuleSource', url, imports: source.imports(), exports: source.exports(), importMeta: source.importMeta, hasTopLevelAwait: source.hasTopLevelAwait };
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
