// Using canon-modules/core on its own: read a file into linear memory once, hash it
// there, intern keys, and keep registry mappings as integers.
// Run: node examples/core-usage.mjs
import { createCore } from 'canon-modules/core';

const core = createCore();

// Bytes go into linear memory once; hashing reads them in place.
const source = core.readFile(new URL('./core-usage.mjs', import.meta.url));
console.log('source hash (XXH3-128):', core.hash128At(source).toString(16));

// Keys are interned to dense ids; the same bytes give the same id.
const keys = core.createInterner();
const main = keys.intern('file:///app/main.js');
console.log('main.js id:', main, '| again:', keys.intern('file:///app/main.js'));

// Specifiers can be interned straight from the source buffer, all in one call.
const text = source.text();
const ranges = [];
for (const m of text.matchAll(/'(canon-modules\/core|\.\/core-usage\.mjs)'/g)) ranges.push(m.index + 1, m[1].length);
console.log('specifier ids:', [...keys.internMany(source, Uint32Array.from(ranges))]);

// Registry lookups are integer lookups.
const tables = core.createRegistryTables();
const noAttributes = keys.intern('');
tables.setCanonical(0, main, noAttributes, 7);
tables.setEntry(0, main, noAttributes, 7, 0);
console.log('entry for main.js:', tables.getEntry(0, main, noAttributes, tables.getCanonical(0, main, noAttributes)));

source.free();
