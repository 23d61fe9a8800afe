// acorn, loaded on first use: only source analysis beyond imports
// (exports(), hasTopLevelAwait) and syntax-error locations need a full
// parse, so programs that never ask do not pay for loading the parser.

import { createRequire } from '../builtins.js';
import type * as Acorn from 'acorn';

let loaded: typeof Acorn | undefined;

export function acorn(): typeof Acorn {
  loaded ??= createRequire(import.meta.url)('acorn') as typeof Acorn;
  return loaded;
}
