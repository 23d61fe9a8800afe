// The module format of a file: URL, as Node decides it before reading the
// file: by extension, and for .js (or no extension) by the "type" of the
// nearest package.json. Where no "type" claims the file, Node compiles it as
// CommonJS and falls back to ES module when the text has module syntax
// (format 'detect'; loader/parse-cjs.ts). Lookups are cached per registry,
// by directory, and dropped with forget() when a module under that directory
// is deleted.

import { fs } from '../builtins.js';

/** What the loader makes of a file before reading it. */
export type FileFormat = 'module' | 'commonjs' | 'detect' | 'json' | 'wasm' | 'addon';

/** A package.json "type" value that counts: anything else is no type at all, as in Node. */
type PackageType = 'module' | 'commonjs' | undefined;

export class PackageTypes {
  /** Directory path (with trailing "/") → the nearest package.json's type. */
  readonly #byDirectory = new Map<string, PackageType>();

  /** The format of a file: URL's path (no query or fragment). */
  formatOf(path: string): FileFormat {
    const dot = path.lastIndexOf('.');
    const slash = path.lastIndexOf('/');
    const extension = dot > slash ? path.slice(dot) : '';
    switch (extension) {
      case '.mjs': return 'module';
      case '.cjs': return 'commonjs';
      case '.json': return 'json';
      case '.wasm': return 'wasm';
      case '.node': return 'addon';
      default: {
        const type = this.typeOf(path.slice(0, slash + 1));
        return type === 'module' ? 'module' : type === 'commonjs' ? 'commonjs' : 'detect';
      }
    }
  }

  /** The "type" of the nearest package.json at or above `directory` (ending in "/"). */
  typeOf(directory: string): PackageType {
    // A loop, not recursion: a path can be deeper than the stack (a hostile 1 MB specifier).
    const unknown: string[] = [];
    let type: PackageType;
    for (let dir = directory; ;) {
      if (this.#byDirectory.has(dir)) {
        type = this.#byDirectory.get(dir);
        break;
      }
      unknown.push(dir);
      // Node stops at a node_modules folder (its package.json is never a scope) and at the root.
      const json = dir.endsWith('/node_modules/') ? {} : readPackageJson(dir);
      if (json !== undefined) {
        type = json.type === 'module' || json.type === 'commonjs' ? json.type : undefined;
        break;
      }
      const parent = dir.slice(0, dir.lastIndexOf('/', dir.length - 2) + 1);
      if (!parent || parent === dir) {
        type = undefined;
        break;
      }
      dir = parent;
    }
    for (const dir of unknown) this.#byDirectory.set(dir, type);
    return type;
  }

  /** Forgets what is known about directories at or below `directory` (a module there was deleted). */
  forget(directory: string): void {
    for (const key of this.#byDirectory.keys()) if (key.startsWith(directory) || directory.startsWith(key)) this.#byDirectory.delete(key);
  }
}

/** Whether a package.json's text may give "type" a value that counts ("module" or "commonjs"), at any depth. */
const STATES_TYPE = /"type"\s*:\s*"(?:module|commonjs)"/;

/** A directory's package.json as an object, or undefined when there is none (an unreadable one counts as none, as for Node's format lookup). */
function readPackageJson(directory: string): { type?: unknown } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(directory + 'package.json', 'utf8');
  } catch {
    return undefined;
  }
  // Most package.json files state no "type" that counts: those need no parse (nor do their dependency lists).
  // (A \u escape may spell the key or the value: such a file is parsed.)
  if (!STATES_TYPE.test(text) && !text.includes('\\u')) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed as { type?: unknown } : {};
  } catch {
    return {};
  }
}
