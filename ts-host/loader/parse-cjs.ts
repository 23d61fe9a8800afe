// CommonJS: bytes → a dynamic module record's parts. A CommonJS module is a
// script compiled as a function of (exports, require, module, __filename,
// __dirname), as Node wraps it. Its exports are known only once it has run
// (a dynamic module record, seed 002); cjs-module-lexer gives the names
// before that, as a hint, exactly where Node uses it (an ES module importing
// the CommonJS one), and only there: a program that only require()s never
// lexes.

import { createRequire, fs } from '../builtins.js';
import vm from 'node:vm';
import { isErrorNamed, ModuleSyntaxError, type ErrorSite } from '../errors.js';
import { lexModule } from '../sources/analyze-js.js';
import { locate } from '../diagnostics/syntax-position.js';
import { importUses, lowerPhases, mayUsePhaseForms, phaseEdits, USES_DYNAMIC_IMPORT, USES_PHASE_FORMS, type Edit } from './lower.js';
import { mark, spent } from '../profile.js';
import type { FunctionCacheSlot } from '../cache/module-cache.js';

/** The parameters Node's CommonJS wrapper gives a module. */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The compiled body of a CommonJS module, and where its import() calls go. */
export interface CjsCode {
  /** The module's function (exports, require, module, __filename, __dirname); dropped once it has run (loader/require.ts). */
  fn: ((...args: unknown[]) => unknown) | undefined;
  /** Whether the text was lowered (loader/lower.ts): the function then takes the phase host as a sixth argument. */
  phased: boolean;
  /**
   * Whether the text may call import(): only then does the engine get an
   * import callback (registering one per function costs time and memory,
   * and a text without `import` followed by `(` or a comment cannot contain
   * the call; comments and strings may match, which only costs the callback).
   */
  dynamicImports: boolean;
  /** Answers import() inside the module; set by the registry that holds it. */
  importDynamically: ((specifier: string, attributes: Record<string, string>) => Promise<vm.Module>) | undefined;
}

/**
 * Syntax errors that mean "this is an ES module": Node's syntax detection
 * for .js files that no package.json "type" claims (Node >= 20.19): module
 * syntax (import/export statements, import.meta) or a top-level await.
 */
const ESM_ONLY = [
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
  'await is only valid in async functions and the top level bodies of modules',
];

/** Whether compiling text as CommonJS failed because it is an ES module. */
export function looksLikeModule(error: unknown): boolean {
  return isErrorNamed(error, 'SyntaxError') && ESM_ONLY.some((m) => error.message.includes(m));
}

/**
 * Compiles a CommonJS module's text as Node's wrapper function. Throws the
 * engine's SyntaxError as is when `detect` is set (the caller decides whether
 * the text is an ES module), else a ModuleSyntaxError naming the file.
 */
export function compileCjs(text: string, url: string, filename: string, site: ErrorSite, detect = false, context?: vm.Context, cache?: () => FunctionCacheSlot | undefined): CjsCode {
  const start = mark();
  const code: CjsCode = { fn: undefined, phased: false, dynamicImports: false, importDynamically: undefined };
  // One pass over the text's `import` words answers both questions (most CommonJS texts have none).
  const uses = importUses(text);
  const lowered = uses & USES_PHASE_FORMS ? lowerScript(text, url) : undefined;
  code.phased = lowered !== undefined;
  code.dynamicImports = ((lowered === undefined ? uses : importUses(lowered)) & USES_DYNAMIC_IMPORT) !== 0;
  try {
    const body = stripHashbang(lowered ?? text);
    const params = code.phased ? [...WRAPPER_PARAMETERS, PHASE_HOST] : WRAPPER_PARAMETERS;
    const options: vm.CompileFunctionOptions = code.dynamicImports ? {
      filename,
      parsingContext: context,
      importModuleDynamically: ((specifier: string, _script: unknown, attributes: Record<string, string>) => {
        if (!code.importDynamically) throw new Error(`canon internal error: import() in ${url} has no registry`);
        return code.importDynamically(specifier, attributes);
      }) as never,
    } : { filename, parsingContext: context };
    // With a cache slot, from the record's code cache (or making one); not for a function that calls
    // import() where a code cache loses the import callback (Node 20).
    const slot = cache && (!code.dynamicImports || codeCacheKeepsImportCallback()) ? cache() : undefined;
    code.fn = (slot ? slot.compileFunction(body, params, options) : vm.compileFunction(body, params, options)) as CjsCode['fn'];
  } catch (error) {
    if (detect || !isErrorNamed(error, 'SyntaxError')) throw error;
    throw cjsSyntaxError(error, text, url, site);
  } finally {
    spent('compile', start);
  }
  return code;
}

let keepsImportCallback: boolean | undefined;

/**
 * Whether a function compiled from a code cache calls its own
 * importModuleDynamically: on Node 20 (V8 11.3) it gets the host options
 * of the compile that made the cache instead (nodejs/node#43663), so import()
 * reaches the callback of another function or, in a later process, none
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). Found out once, by trying.
 */
export function codeCacheKeepsImportCallback(): boolean {
  if (keepsImportCallback === undefined) {
    const text = 'return import("canon:probe")';
    let reached = false;
    const refuse = (): never => {
      throw new Error('canon: code cache probe');
    };
    const made = vm.compileFunction(text, [], { produceCachedData: true, importModuleDynamically: refuse as never }) as { cachedData?: Buffer };
    const again = vm.compileFunction(text, [], {
      cachedData: made.cachedData,
      importModuleDynamically: (() => {
        reached = true;
        return refuse();
      }) as never,
    }) as (() => Promise<unknown>) & { cachedDataRejected?: boolean };
    again().catch(() => undefined);
    keepsImportCallback = reached && again.cachedDataRejected !== true;
  }
  return keepsImportCallback;
}

/** A CommonJS module's syntax error as canon's, with the line and column acorn finds (V8's message has none). */
export function cjsSyntaxError(error: SyntaxError, text: string, url: string, site: ErrorSite): ModuleSyntaxError {
  return new ModuleSyntaxError(error.message, { ...site, url, ...locate(text, 'commonjs', error.message) }, { cause: error });
}

/** The hidden parameter lowered phase calls in a CommonJS module go to. */
const PHASE_HOST = '__canonPhaseHost';

/** The edits lowerScript makes to a CommonJS module's text, if any (to map stack columns back: diagnostics/lowered-columns.ts). */
export function scriptPhaseEdits(text: string, url: string): readonly Edit[] | undefined {
  if (!mayUsePhaseForms(text)) return undefined;
  try {
    return phaseEdits(text, lexModule(text, url), PHASE_HOST);
  } catch {
    return undefined;
  }
}

/** A CommonJS module's text with import.source()/import.defer()/import.sync() lowered, if it has any. */
function lowerScript(text: string, url: string): string | undefined {
  if (!mayUsePhaseForms(text)) return undefined;
  let lex;
  try {
    lex = lexModule(text, url);
  } catch {
    return undefined; // the engine reports the syntax error
  }
  return lowerPhases(text, lex, PHASE_HOST);
}

/** Node strips a leading `#!` line from CommonJS modules (the engine accepts it in scripts too, but not inside a function body). */
function stripHashbang(text: string): string {
  return text.startsWith('#!') ? '//' + text.slice(2) : text;
}

// ---- export names, as a hint (cjs-module-lexer) ---------------------------

interface CjsLexer {
  initSync(): void;
  parse(text: string, name?: string): { exports: string[]; reexports: string[] };
}

let lexer: CjsLexer | undefined;

/** cjs-module-lexer's Wasm build (its CommonJS form, dist/lexer.js), compiled synchronously on first use: import.sync and require need it synchronously. */
function cjsLexer(): CjsLexer {
  if (!lexer) {
    const require = createRequire(import.meta.url);
    lexer = require(require.resolve('cjs-module-lexer').replace(/lexer\.js$/, 'dist/lexer.js')) as CjsLexer;
    lexer.initSync();
  }
  return lexer;
}

/**
 * The names a CommonJS module exports, as Node finds them before running it:
 * cjs-module-lexer's exports, plus those of the modules it reexports
 * (`module.exports = require('./x')`, `__exportStar(require('./x'))`),
 * resolved as require() does, recursively. A text the lexer rejects has none.
 */
export function cjsExportNames(text: string, filename: string, resolve: (specifier: string, from: string) => string | undefined, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  seen.add(filename);
  let lexed: { exports: string[]; reexports: string[] };
  const start = mark();
  try {
    lexed = cjsLexer().parse(text);
  } catch {
    return names;
  } finally {
    spent('analyze', start);
  }
  for (const name of lexed.exports) names.add(name);
  for (const specifier of lexed.reexports) {
    const target = resolve(specifier, filename);
    if (target === undefined || seen.has(target) || !/\.(c?js)$|\/[^./]+$/.test(target)) continue;
    let reexported: string;
    try {
      reexported = fs.readFileSync(target, 'utf8');
    } catch {
      continue;
    }
    for (const name of cjsExportNames(reexported, target, resolve, seen)) names.add(name);
  }
  return names;
}
