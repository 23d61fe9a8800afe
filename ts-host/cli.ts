#!/usr/bin/env node
// The canon command line.

import { parseArgs } from 'node:util';
import { createCore } from './core/index.js';

const HELP = `canon: a module registry engine for JavaScript and WebAssembly

Usage:
  canon demo               show the Wasm core at work (hashing, interning, registry tables)
  canon hash <file>...     print the XXH3-128 source hash of each file
  canon --help             this text
  canon --version          the version

Options:
  --seed <n>               fixed hash seed (default: random per process)
`;

class UsageError extends Error {
  override name = 'UsageError';
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      seed: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write('canon 0.1.0\n');
    return;
  }
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const [command, ...rest] = positionals;
  switch (command) {
    case 'demo':
      return demo(seed);
    case 'hash':
      if (rest.length === 0) throw new UsageError('canon hash: no file given (see canon --help)');
      return hashFiles(rest, seed);
    case undefined:
      throw new UsageError('no command given (see canon --help)');
    default:
      throw new UsageError(`unknown command "${command}" (see canon --help)`);
  }
}

function parseSeed(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    throw new UsageError(`--seed must be an integer, got "${text}"`);
  }
}

function hashFiles(files: string[], seed: bigint | undefined): void {
  const core = createCore(seed === undefined ? {} : { seed });
  for (const file of files) {
    const buffer = core.readFile(file);
    const hash = core.hash128At(buffer);
    buffer.free();
    process.stdout.write(`${hash.toString(16).padStart(32, '0')}  ${file}\n`);
  }
}

function demo(seed: bigint | undefined): void {
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

try {
  main(process.argv.slice(2));
} catch (error) {
  const e = error as Error;
  process.stderr.write(`canon: ${e instanceof UsageError ? e.message : `${e.name}: ${e.message}`}\n`);
  process.exitCode = 1;
}
