// `canon demo`: the Wasm core at work, without the loader.
import { createCore } from '../core/index.js';

export function demo(seed: bigint | undefined): void {
  const core = createCore(seed === undefined ? {} : { seed });
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`canon core demo (seed ${core.seed.toString(16)})`);

  const text = 'export const answer = 42;\n';
  out(`XXH64("${text.trim()}")    = ${core.hash64(text).toString(16)}`);
  out(`XXH3-128("${text.trim()}") = ${core.hash128(text).toString(16)}`);

  const keys = core.createInterner();
  const urls = ['file:///app/main.js', 'file:///app/util.js', 'file:///app/data.json'];
  for (const url of urls) out(`intern ${url} -> id ${keys.intern(url)}`);
  out(`intern ${urls[0]} again -> id ${keys.intern(urls[0]!)} (same id: interning is by content)`);

  const tables = core.createRegistryTables();
  const registry = 0;
  const noAttributes = keys.intern('');
  urls.forEach((url, i) => {
    const key = keys.intern(url);
    tables.setCanonical(registry, key, noAttributes, 100 + i);
    tables.setEntry(registry, key, noAttributes, 100 + i, i);
  });
  out(`registry holds ${tables.entryCount} entries:`);
  for (const e of tables.entries().sort((a, b) => a.entry - b.entry)) {
    out(`  entry ${e.entry}: key ${keys.string(e.key)} source #${e.source} (canonical #${tables.getCanonical(e.registry, e.key, e.attributes)})`);
  }
}

export function hashFiles(files: string[], seed: bigint | undefined): void {
  const core = createCore(seed === undefined ? {} : { seed });
  for (const file of files) {
    const buffer = core.readFile(file);
    const hash = core.hash128At(buffer);
    buffer.free();
    process.stdout.write(`${hash.toString(16).padStart(32, '0')}  ${file}\n`);
  }
}
