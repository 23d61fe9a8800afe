// The engine's error classes. Every error carries a stable `code` and names
// what failed and where: the specifier, its referrer, the resolved key (URL)
// and the phase, whichever apply. Each extends the built-in class a spec
// would throw (SyntaxError, TypeError, ...) and keeps that class's `name`,
// as Node's own errors do: programs that print `e.name` see what they would
// see natively, and the specific class is told by `instanceof` or `code`.

import { fileURLToPath } from 'node:url';

export type Phase = 'source' | 'defer' | 'evaluation' | 'sync' | 'require';

/** Where an error happened; every field optional, printed in a fixed order. */
export interface ErrorSite {
  /** The specifier as written. */
  specifier?: string | undefined;
  /** The referrer's URL (or eval id). */
  referrer?: string | undefined;
  /** The resolved key (URL) of the module that failed. */
  url?: string | undefined;
  phase?: Phase | undefined;
  /** 1-based line and column in the module's source text. */
  line?: number | undefined;
  column?: number | undefined;
}

/** How a phase reads in a message: what the program wrote (a plain import says nothing). */
const PHASE_WORDS: Record<Phase, string | undefined> = {
  evaluation: undefined,
  source: 'by import source',
  defer: 'by import defer',
  sync: 'by import.sync',
  require: 'by require()',
};

/**
 * " (specifier "x" from file:///a.js, file:///x.js:3:7, by import source)".
 * With the message it is appended to, parts the message already says (the
 * specifier in quotes, the referrer or URL as a URL or a path) are left out,
 * so each appears once.
 */
export function describeSite(site: ErrorSite, message = ''): string {
  const says = (url: string) => message.includes(url) || (url.startsWith('file:') && message.includes(filePath(url)));
  const parts: string[] = [];
  const referrer = site.referrer && !says(site.referrer) ? site.referrer : undefined;
  const specifier = site.specifier !== undefined && !message.includes(`'${site.specifier}'`) && !message.includes(`"${site.specifier}"`) ? site.specifier : undefined;
  if (specifier !== undefined) {
    parts.push(`specifier ${JSON.stringify(specifier)}${referrer ? ` from ${referrer}` : ''}`);
  } else if (referrer) {
    parts.push(`from ${referrer}`);
  }
  if (site.url !== undefined && (site.line !== undefined || !says(site.url))) {
    parts.push(site.line !== undefined ? `${site.url}:${site.line}:${site.column ?? 0}` : site.url);
  }
  const phase = site.phase === undefined ? undefined : PHASE_WORDS[site.phase];
  if (phase !== undefined) parts.push(phase);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A file: URL's path, for matching messages that print paths (Node's do); a NUL (in no message) when it has none. */
function filePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return '\0';
  }
}

/** Copies the site's defined fields onto the error as enumerable, read-only properties. */
function assignSite(error: Error, site: object): void {
  for (const [key, value] of Object.entries(site)) {
    if (value !== undefined) Object.defineProperty(error, key, { value, enumerable: true });
  }
}

/** The site fields an engine error carries (see ErrorSite). */
export interface SiteFields {
  readonly specifier?: string;
  readonly referrer?: string;
  readonly url?: string;
  readonly phase?: Phase;
  readonly line?: number;
  readonly column?: number;
}

type AnyErrorClass = new (...args: any[]) => Error;
/** An error class whose constructor takes (message, site, { cause }); the site's fields become properties. */
type SitedErrorClass<E extends Error, S extends ErrorSite> =
  new (message: string, site?: S, options?: { cause?: unknown }) => E & SiteFields & Readonly<Omit<S, keyof ErrorSite>>;

/**
 * The engine's error classes share one constructor: the message gets the
 * site appended, the site's fields become properties, `cause` is kept. Each
 * class extends the built-in one the spec names, given here as `Base`.
 */
export function withSite<E extends Error, S extends ErrorSite = ErrorSite>(Base: AnyErrorClass): SitedErrorClass<E, S> {
  class Sited extends Base {
    constructor(...args: any[]) {
      const [message, site = {}, options] = args as [string, ErrorSite | undefined, { cause?: unknown } | undefined];
      super(message + describeSite(site, message));
      if (options && 'cause' in options) {
        Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
      }
      assignSite(this, site);
    }
  }
  return Sited as unknown as SitedErrorClass<E, S>;
}

/** Source text that cannot be lexed or parsed as a module. */
export class ModuleSyntaxError extends withSite<SyntaxError>(SyntaxError) {
  readonly code = 'ERR_CANON_MODULE_SYNTAX';
}

/** Wasm bytes that do not compile; `cause` is the engine's WebAssembly.CompileError. */
export class WasmCompileError extends withSite<WebAssembly.CompileError>(WebAssembly.CompileError) {
  readonly code = 'ERR_CANON_WASM_COMPILE';
}

/** An argument of the wrong type or shape. */
export class InvalidArgumentError extends TypeError {
  readonly code = 'ERR_CANON_INVALID_ARGUMENT';
}

/** A module that could not be found or read (same code as Node's). */
export class ModuleNotFoundError extends withSite<Error>(Error) {
  readonly code = 'ERR_MODULE_NOT_FOUND';
}

export type ImportAttributeCode = 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED' | 'ERR_IMPORT_ATTRIBUTE_MISSING' | 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE';

/** Import attributes the host does not support for this module (a TypeError, as the spec says). */
export class ImportAttributeError extends withSite<TypeError>(TypeError) {
  constructor(readonly code: ImportAttributeCode, message: string, site: ErrorSite = {}) {
    super(message, site);
  }
}

/** A module request that cannot be linked: a missing or ambiguous export (a SyntaxError, as the spec says). */
export class ModuleLinkError extends withSite<SyntaxError>(SyntaxError) {
  readonly code = 'ERR_CANON_LINK';
}

/** A module kind or phase this host cannot provide. */
export class UnsupportedModuleError extends withSite<TypeError>(TypeError) {
  readonly code = 'ERR_CANON_UNSUPPORTED_MODULE';
}

/** Why import.sync could not complete a module synchronously. */
export type ImportSyncReason = 'not loaded' | 'still loading' | 'not linkable synchronously' | 'top-level await' | 'cycle still evaluating';

/** import.sync / Registry.importSync cannot complete the module synchronously. */
export class ImportSyncError extends withSite<TypeError>(TypeError) {
  readonly code = 'ERR_IMPORT_SYNC_UNAVAILABLE';
  constructor(readonly reason: ImportSyncReason, detail: string, site: ErrorSite = {}) {
    super(`import.sync cannot complete the module synchronously: ${reason}${detail ? ` (${detail})` : ''}`, site);
  }
}

export { assignSite };

/**
 * Node's package resolution refused a specifier: a subpath "exports" does not
 * export (ERR_PACKAGE_PATH_NOT_EXPORTED), an "imports" name that is not
 * defined (ERR_PACKAGE_IMPORT_NOT_DEFINED), an invalid target or package.json,
 * a directory import (ERR_UNSUPPORTED_DIR_IMPORT): `code` is Node's.
 */
export class PackageResolutionError extends withSite<Error>(Error) {
  constructor(readonly code: string, message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message, site, options);
  }
}

/**
 * A CommonJS-specific failure with Node's code: require() of an ES module
 * with top-level await (ERR_REQUIRE_ASYNC_MODULE) or of one still being
 * evaluated in a cycle (ERR_REQUIRE_CYCLE_MODULE).
 */
export class RequireError extends withSite<Error>(Error) {
  constructor(readonly code: string, message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message, site, options);
  }
}

/**
 * Node was started without --experimental-vm-modules, so vm.SourceTextModule
 * (the records canon runs modules as) does not exist. The `canon` bin gives
 * the flag itself; a program that uses the Registry must be started with it.
 */
export class VmModulesUnavailableError extends Error {
  readonly code = 'ERR_CANON_VM_MODULES_UNAVAILABLE';
  override name = 'VmModulesUnavailableError';
  constructor() {
    super('canon runs modules as vm.SourceTextModule records, which this Node only has with the --experimental-vm-modules flag: start node with --experimental-vm-modules (add --disable-warning=ExperimentalWarning to keep stderr clean), or set NODE_OPTIONS=--experimental-vm-modules');
  }
}
