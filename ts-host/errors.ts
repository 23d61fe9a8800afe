// The engine's error classes. Every error carries a stable `code` and names
// what failed and where: the specifier, its referrer, the resolved key (URL)
// and the phase, whichever apply.
//
// Two kinds. A failure the specs define (a syntax or link error, a Wasm
// compile or link error, a bad import value) is an instance of exactly the
// spec's class: test suites and programs check `e.constructor === SyntaxError`,
// and a subclass would fail them. canon's class for it (ModuleSyntaxError, ...)
// is then a factory plus a Symbol.hasInstance check on `code`, so `new
// ModuleSyntaxError(...)` gives a plain SyntaxError carrying canon's fields as
// own properties, and `e instanceof ModuleSyntaxError` still tells it apart.
// A host failure (not found, unsupported, import.sync) is a real subclass of
// the built-in class that fits, keeping that class's `name`, as Node's own
// errors do.

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

/** Longest specifier, URL or path a message quotes whole; the error's property keeps the full value. */
export const MESSAGE_VALUE_MAX = 200;

/**
 * Whether `error` is an error of this name from any realm: what the engine
 * throws for code compiled in a vm context (registry option `context`) is
 * that realm's SyntaxError or ReferenceError, not an instance of Node's own.
 */
export function isErrorNamed(error: unknown, name: string): error is Error {
  return typeof error === 'object' && error !== null && (error as Error).name === name && typeof (error as Error).message === 'string';
}

/**
 * A value as a message quotes it: whole when short, else its head and tail
 * around the count of what was left out (a 1 MB data: URL or path must not
 * become a 1 MB message).
 */
export function shorten(value: string, max = MESSAGE_VALUE_MAX): string {
  if (value.length <= max) return value;
  const head = Math.ceil(max * 0.7);
  const tail = max - head;
  return `${value.slice(0, head)}…[${value.length - head - tail} more characters]…${value.slice(value.length - tail)}`;
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
    parts.push(`specifier ${JSON.stringify(shorten(specifier))}${referrer ? ` from ${shorten(referrer)}` : ''}`);
  } else if (referrer) {
    parts.push(`from ${shorten(referrer)}`);
  }
  if (site.url !== undefined && (site.line !== undefined || !says(site.url))) {
    const url = shorten(site.url);
    parts.push(site.line !== undefined ? `${url}:${site.line}:${site.column ?? 0}` : url);
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

/** A constructor of the spec's error class with a message (WebAssembly's take one too). */
type SpecBase = new (message?: string) => Error;

/** The error a spec-class factory returns: exactly a `Base`, with canon's code and site fields as own properties. */
function makeSpecError(Base: SpecBase, code: string, message: string, site: object, options?: { cause?: unknown }): Error {
  const error = new Base(message + describeSite(site as ErrorSite, message));
  if (options && 'cause' in options) {
    Object.defineProperty(error, 'cause', { value: options.cause, configurable: true, writable: true });
  }
  Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true, writable: true });
  assignSite(error, site);
  return error;
}

/** The codes each spec-class factory marks its errors with, for Symbol.hasInstance. */
function defineFactory(name: string, Base: SpecBase, codes: readonly string[], construct: (...args: any[]) => Error): Function {
  // A plain function: a derived class constructor could not return another object without calling super().
  const factory = function (this: unknown, ...args: any[]) { return construct(...args); };
  Object.defineProperty(factory, 'name', { value: name });
  // Its own prototype (never an instance's), inheriting from Base's, so the class reads as a kind of Base.
  factory.prototype = Object.create(Base.prototype, { constructor: { value: factory, writable: true, configurable: true } });
  Object.defineProperty(factory, Symbol.hasInstance, {
    value: (value: unknown) => value instanceof Base && codes.includes((value as { code?: unknown }).code as string),
  });
  return factory;
}

/**
 * A class for a failure the spec defines: `new C(message, site, { cause })`
 * returns an instance of exactly `Base` (the spec's class) with `code` and
 * the site's fields as own properties; `x instanceof C` is true for such
 * errors (by `code`).
 */
export function specErrorClass<E extends Error, C extends string, S extends ErrorSite = ErrorSite>(name: string, Base: SpecBase, code: C):
  new (message: string, site?: S, options?: { cause?: unknown }) => E & SiteFields & Readonly<Omit<S, keyof ErrorSite>> & { readonly code: C } {
  return defineFactory(name, Base, [code], (message: string, site: S = {} as S, options?: { cause?: unknown }) =>
    makeSpecError(Base, code, message, site, options)) as never;
}

/** Source text that cannot be lexed or parsed as a module: exactly a SyntaxError (see specErrorClass). */
export const ModuleSyntaxError = specErrorClass<SyntaxError, 'ERR_CANON_MODULE_SYNTAX'>('ModuleSyntaxError', SyntaxError, 'ERR_CANON_MODULE_SYNTAX');
export type ModuleSyntaxError = InstanceType<typeof ModuleSyntaxError>;

/** Wasm bytes that do not compile: exactly a WebAssembly.CompileError; `cause` is the engine's. */
export const WasmCompileError = specErrorClass<WebAssembly.CompileError, 'ERR_CANON_WASM_COMPILE'>('WasmCompileError', WebAssembly.CompileError, 'ERR_CANON_WASM_COMPILE');
export type WasmCompileError = InstanceType<typeof WasmCompileError>;

/** An argument of the wrong type or shape. */
export class InvalidArgumentError extends TypeError {
  readonly code = 'ERR_CANON_INVALID_ARGUMENT';
}

/** A module that could not be found or read (same code as Node's). */
export class ModuleNotFoundError extends withSite<Error>(Error) {
  readonly code: 'ERR_MODULE_NOT_FOUND' | 'ERR_UNKNOWN_BUILTIN_MODULE' = 'ERR_MODULE_NOT_FOUND';
}

/** A `node:` URL that names no builtin module: Node's ERR_UNKNOWN_BUILTIN_MODULE (still a ModuleNotFoundError). */
export class UnknownBuiltinModuleError extends ModuleNotFoundError {
  override readonly code = 'ERR_UNKNOWN_BUILTIN_MODULE';
}

export type ImportAttributeCode = 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED' | 'ERR_IMPORT_ATTRIBUTE_MISSING' | 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE';

const IMPORT_ATTRIBUTE_CODES: readonly ImportAttributeCode[] = ['ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', 'ERR_IMPORT_ATTRIBUTE_MISSING', 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE'];

/**
 * Import attributes the host does not support for this module: exactly a
 * TypeError (as Node's ERR_IMPORT_ATTRIBUTE_* are), `new
 * ImportAttributeError(code, message, site)`; an attribute key the host does
 * not support is exactly a SyntaxError, as ECMA-262 says (AllImportAttributesSupported;
 * Node throws a TypeError there), made by `unsupportedAttributeKey()`. Both
 * are `instanceof ImportAttributeError`.
 */
export const ImportAttributeError = defineFactory('ImportAttributeError', Error, IMPORT_ATTRIBUTE_CODES,
  (code: ImportAttributeCode, message: string, site: ErrorSite = {}) => makeSpecError(TypeError, code, message, site)) as unknown as
  new (code: ImportAttributeCode, message: string, site?: ErrorSite) => (TypeError | SyntaxError) & SiteFields & { readonly code: ImportAttributeCode };
export type ImportAttributeError = InstanceType<typeof ImportAttributeError>;

/** An import attribute key other than the supported ones: a SyntaxError (ECMA-262), code ERR_IMPORT_ATTRIBUTE_UNSUPPORTED. */
export function unsupportedAttributeKey(key: string, value: string, site: ErrorSite): ImportAttributeError {
  return makeSpecError(SyntaxError, 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "${key}" with value "${value}" is not supported${site.url ? ` in ${shorten(site.url)}` : ''}`, site) as ImportAttributeError;
}

/** A module request that cannot be linked: a missing or ambiguous export, exactly a SyntaxError (as the spec says). */
export const ModuleLinkError = specErrorClass<SyntaxError, 'ERR_CANON_LINK'>('ModuleLinkError', SyntaxError, 'ERR_CANON_LINK');
export type ModuleLinkError = InstanceType<typeof ModuleLinkError>;

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
 * Gives an error that is not canon's (a system error, a user's error that
 * a hook let through) the site fields it lacks, keeping its identity: an
 * error the registry throws always says where. Non-objects and frozen errors
 * are returned as they are.
 */
/**
 * The site of a registry operation (an import, a require) given to an error
 * it ends with: all of it when the error says nothing of where, only the
 * phase when it names its own module.
 */
export function completeSite<T>(error: T, site: ErrorSite): T {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as ErrorSite;
  // An error that names another module (one deeper in the graph) only gets the phase; one about this module, what it lacks.
  if (e.url !== undefined ? e.url !== site.url : e.specifier !== undefined || e.referrer !== undefined) return withSiteFields(error, { phase: site.phase });
  return withSiteFields(error, site);
}

export function withSiteFields<T>(error: T, site: ErrorSite): T {
  if (typeof error !== 'object' || error === null || !Object.isExtensible(error)) return error;
  for (const [key, value] of Object.entries(site)) {
    if (value !== undefined && !Object.prototype.hasOwnProperty.call(error, key)) {
      // Not enumerable: the error prints as it did (a system error, a user's), but says where when asked.
      Object.defineProperty(error, key, { value, enumerable: false, configurable: true, writable: true });
    }
  }
  return error;
}

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

/** A load hook declared a format canon does not know (Node's ERR_UNKNOWN_MODULE_FORMAT, a RangeError), or a data: URL's media type is not a module type. */
export class UnknownModuleFormatError extends withSite<RangeError>(RangeError) {
  readonly code = 'ERR_UNKNOWN_MODULE_FORMAT';
}

/** Which hook of a registry: `resolve`, `load` or `importMeta`. */
export type HookName = 'resolve' | 'load' | 'importMeta';

/**
 * A hook threw, or returned what canon cannot use: names the hook, and
 * carries what it threw as `cause` (the message repeats the cause's).
 */
export class HookError extends withSite<Error, ErrorSite & { hook: HookName }>(Error) {
  readonly code = 'ERR_CANON_HOOK_FAILED';
}

/** A hook returned a value of the wrong type or shape (a TypeError, as Node's ERR_INVALID_RETURN_VALUE). */
export class HookResultError extends withSite<TypeError, ErrorSite & { hook: HookName }>(TypeError) {
  readonly code = 'ERR_CANON_INVALID_HOOK_RESULT';
}

/**
 * A module's load took longer than the registry's `loadTimeout`: the import
 * rejects, and the entry is dropped so that a later import loads afresh.
 */
export class ModuleLoadTimeoutError extends withSite<Error, ErrorSite & { timeout: number }>(Error) {
  readonly code = 'ERR_CANON_LOAD_TIMEOUT';
}

/** The gate a policy refused at: loading, eval-ish source creation, transfer, instantiation (seed 003's gates). */
export type PolicyGate = 'load' | 'create' | 'transfer' | 'instantiate';

/**
 * The registry's policy refused a module: `gate` says where, `rule` which
 * rule, `module` (and `url`) what, `specifier`/`referrer` the request. The
 * registry is unchanged by a refusal.
 */
export class PolicyError extends withSite<Error, ErrorSite & { gate: PolicyGate; rule: string; module: string }>(Error) {
  readonly code = 'ERR_CANON_POLICY';
}
