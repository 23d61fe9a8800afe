// The process's shared instance of the Wasm core, used by the engine for
// source hashes and registry tables. Created on first use.

import { createCore, type Core } from './core/index.js';

let shared: Core | undefined;

export function engineCore(): Core {
  shared ??= createCore();
  return shared;
}
