// canon: the whole engine. The module loader builds on the core; until it
// lands, the engine's public surface is the core's.

export * from './core/index.js';
