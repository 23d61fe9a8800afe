// Node's builtin modules as their CommonJS exports, for canon's start-up path.
// An ESM import of a builtin (`import { readFileSync } from 'node:fs'`) makes
// Node build that module's ESM facade, which reads every export: for node:fs
// that loads all of its streams. On Node 26, `import ... from 'node:fs'` and
// `from 'node:util'` cost about 2.5 ms of start-up each; a require costs
// nothing. The bundled command line links every import it contains at load,
// so one such import anywhere in it costs every `canon run`.

import { createRequire as nodeCreateRequire } from 'node:module';

const require = nodeCreateRequire(import.meta.url);

export const fs = require('node:fs') as typeof import('node:fs');
export const util = require('node:util') as typeof import('node:util');
export const Module = require('node:module') as typeof import('node:module');
/**
 * Node's own module.createRequire, as it was when canon started: `canon run`
 * routes the program's Module.createRequire through the registry, and
 * canon's own requires must not go there (in the CommonJS bundle a call
 * reads the property at call time).
 */
export const createRequire = Module.createRequire;
