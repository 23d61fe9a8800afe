// test262's per-test metadata: the YAML between `/*---` and `---*/`
// (INTERPRETING.md, "Metadata"). Only the keys that change how a test runs
// are kept: includes, flags, negative (phase and error type), features.

import { parse } from 'yaml';

export type NegativePhase = 'parse' | 'resolution' | 'runtime';

export interface Test262Meta {
  includes: string[];
  flags: Set<string>;
  negative: { phase: NegativePhase; type: string } | null;
  features: string[];
}

/** Reads a test's frontmatter; a test without one runs with the defaults. */
export function readFrontmatter(text: string): Test262Meta {
  const m = /\/\*---([\s\S]*?)---\*\//.exec(text);
  const data = (m ? parse(m[1]!) : null) ?? {};
  const negative = data.negative && typeof data.negative === 'object'
    ? { phase: String(data.negative.phase) as NegativePhase, type: String(data.negative.type) }
    : null;
  return {
    includes: Array.isArray(data.includes) ? data.includes.map(String) : [],
    flags: new Set(Array.isArray(data.flags) ? data.flags.map(String) : []),
    negative,
    features: Array.isArray(data.features) ? data.features.map(String) : [],
  };
}

/** How one test file is run: as a module, or as a script in one strictness. */
export type Test262Mode = 'module' | 'strict' | 'sloppy';

/**
 * The runs INTERPRETING.md asks for: a module test once as a module; a script
 * test twice (non-strict, then with "use strict" prepended) unless `onlyStrict`,
 * `noStrict` or `raw` narrow it to one.
 */
export function modesOf(meta: Test262Meta): Test262Mode[] {
  if (meta.flags.has('module')) return ['module'];
  if (meta.flags.has('raw') || meta.flags.has('noStrict')) return ['sloppy'];
  if (meta.flags.has('onlyStrict')) return ['strict'];
  return ['sloppy', 'strict'];
}

/** The harness files evaluated before the test, in order; none for `raw`. */
export function harnessFiles(meta: Test262Meta): string[] {
  if (meta.flags.has('raw')) return [];
  const files = ['assert.js', 'sta.js'];
  if (meta.flags.has('async')) files.push('doneprintHandle.js');
  for (const f of meta.includes) if (!files.includes(f)) files.push(f);
  return files;
}
