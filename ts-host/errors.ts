// The engine's error classes. Every error carries a stable `code` and names
// what failed and where: the specifier, its referrer, the resolved key (URL)
// and the phase, whichever apply. Each extends the built-in class a spec
// would throw (SyntaxError, TypeError, ...) and keeps that class's `name`,
// as Node's own errors do: programs that print `e.name` see what they would
// see natively, and the specific class is told by `instanceof` or `code`.

export type Phase = 'source' | 'defer' | 'evaluation' | 'sync';

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

/** " (specifier "x" from file:///a.js, file:///x.js:3:7, phase source)" */
export function describeSite(site: ErrorSite): string {
  const parts: string[] = [];
  if (site.specifier !== undefined) {
    parts.push(`specifier ${JSON.stringify(site.specifier)}${site.referrer ? ` from ${site.referrer}` : ''}`);
  } else if (site.referrer) {
    parts.push(`from ${site.referrer}`);
  }
  if (site.url !== undefined) {
    parts.push(site.line !== undefined ? `${site.url}:${site.line}:${site.column ?? 0}` : site.url);
  }
  if (site.phase !== undefined) parts.push(`phase ${site.phase}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function assignSite(error: Error & ErrorSite, site: ErrorSite): void {
  for (const key of ['specifier', 'referrer', 'url', 'phase', 'line', 'column'] as const) {
    if (site[key] !== undefined) Object.defineProperty(error, key, { value: site[key], enumerable: true });
  }
}

/** Source text that cannot be lexed or parsed as a module. */
export class ModuleSyntaxError extends SyntaxError {
  readonly code = 'ERR_CANON_MODULE_SYNTAX';
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  declare readonly line?: number;
  declare readonly column?: number;
  constructor(message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message + describeSite(site), options);
    assignSite(this, site);
  }
}

/** Wasm bytes that do not compile; `cause` is the engine's WebAssembly.CompileError. */
export class WasmCompileError extends WebAssembly.CompileError {
  readonly code = 'ERR_CANON_WASM_COMPILE';
  declare readonly url?: string;
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly phase?: Phase;
  constructor(message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message + describeSite(site));
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
    assignSite(this, site);
  }
}

/** An argument of the wrong type or shape. */
export class InvalidArgumentError extends TypeError {
  readonly code = 'ERR_CANON_INVALID_ARGUMENT';
  constructor(message: string) {
    super(message);
  }
}

export { assignSite };

/** A module that could not be found or read (same code as Node's). */
export class ModuleNotFoundError extends Error {
  readonly code = 'ERR_MODULE_NOT_FOUND';
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  constructor(message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message + describeSite(site), options);
    assignSite(this, site);
  }
}

/** Import attributes the host does not support for this module (a TypeError, as the spec says). */
export class ImportAttributeError extends TypeError {
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  constructor(
    readonly code: 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED' | 'ERR_IMPORT_ATTRIBUTE_MISSING' | 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE',
    message: string,
    site: ErrorSite = {},
  ) {
    super(message + describeSite(site));
    assignSite(this, site);
  }
}

/** A module request that cannot be linked: a missing or ambiguous export (a SyntaxError, as the spec says). */
export class ModuleLinkError extends SyntaxError {
  readonly code = 'ERR_CANON_LINK';
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  constructor(message: string, site: ErrorSite = {}, options?: { cause?: unknown }) {
    super(message + describeSite(site), options);
    assignSite(this, site);
  }
}

/** A module kind or phase this host cannot provide. */
export class UnsupportedModuleError extends TypeError {
  readonly code = 'ERR_CANON_UNSUPPORTED_MODULE';
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  constructor(message: string, site: ErrorSite = {}) {
    super(message + describeSite(site));
    assignSite(this, site);
  }
}

/** Why import.sync could not complete a module synchronously. */
export type ImportSyncReason = 'not loaded' | 'still loading' | 'not linkable synchronously' | 'top-level await' | 'cycle still evaluating';

/** import.sync / Registry.importSync cannot complete the module synchronously. */
export class ImportSyncError extends TypeError {
  readonly code = 'ERR_IMPORT_SYNC_UNAVAILABLE';
  declare readonly specifier?: string;
  declare readonly referrer?: string;
  declare readonly url?: string;
  declare readonly phase?: Phase;
  constructor(readonly reason: ImportSyncReason, detail: string, site: ErrorSite = {}) {
    super(`import.sync cannot complete the module synchronously: ${reason}${detail ? ` (${detail})` : ''}` + describeSite(site));
    assignSite(this, site);
  }
}
