// ModuleSource: the source of a JS module (tc39/proposal-esm-phase-imports).
// It holds the immutable source text and the host metadata (URL and
// attributes for a rooted source, an eval id for one made from text), and
// answers source analysis. Users cannot construct it: the loader creates
// rooted sources and ModuleSource.fromText() creates eval-ish ones.
//
// It cannot `extend` a native %AbstractModuleSource% (its constructor throws
// even through super()), so the prototype chain is set up by hand below.

import { engineCore } from '../engine-core.js';
import { hasTopLevelAwait, lexModule, moduleExports, type LexResult } from './analyze-js.js';
import type { ModuleExport, ModuleImport } from './analysis.js';
import { AbstractModuleSource } from './abstract-module-source.js';
import { normalizeAttributes, type Attributes } from './attributes.js';
import { isModuleSource, registerModuleSourceBrand } from './brand.js';
import { newEvalId } from './eval-id.js';
import type { SourceRealm } from './source-realm.js';

/** Host metadata of a source ([[HostDefined]] in the proposals). */
export interface SourceMetadata {
  /** The resolved URL of a rooted source; undefined for an eval-ish one. */
  readonly url: string | undefined;
  /** Import attributes that are part of the key. */
  readonly attributes: Attributes;
  /** The unique id of an eval-ish source; undefined for a rooted one. */
  readonly evalId: string | undefined;
  /** Where relative specifiers of an eval-ish source resolve from, if anywhere. */
  readonly baseURL: string | undefined;
}

interface SourceState extends SourceMetadata {
  readonly text: string;
  /** The realm the source was made for; undefined for Node's own. */
  readonly realm: SourceRealm | undefined;
  readonly lex: LexResult;
  hash: bigint | undefined;
  exports: ModuleExport[] | undefined;
  topLevelAwait: boolean | undefined;
}

const INTERNAL = Symbol('canon.ModuleSource');

/** The private state of a source (throws TypeError for anything else); set by the class's static block. */
let stateOf: (source: ModuleSource) => SourceState;

export class ModuleSource {
  readonly #state: SourceState;

  /** @internal Throws for users: module sources come from the loader or ModuleSource.fromText(). */
  constructor(token?: unknown, state?: SourceState) {
    if (token !== INTERNAL || state === undefined) {
      throw new TypeError('ModuleSource cannot be constructed directly: use `import source`, import.source() or ModuleSource.fromText()');
    }
    this.#state = state;
    Object.freeze(this);
  }

  /**
   * An eval-ish source from text: keyed by a fresh eval id, with relative
   * specifiers resolved against `baseURL` if one is given.
   */
  static fromText(text: string, options: { baseURL?: string | URL } = {}): ModuleSource {
    if (typeof text !== 'string') throw new TypeError(`ModuleSource.fromText: text must be a string, got ${typeof text}`);
    const baseURL = options.baseURL === undefined ? undefined : new URL(String(options.baseURL)).href;
    return createModuleSource(text, { url: undefined, attributes: undefined, baseURL });
  }

  /** The module's static imports: specifier, phase and attributes, in source order. */
  imports(): ModuleImport[] {
    return this.#state.lex.imports.map((i) => ({
      specifier: i.specifier,
      phase: i.phase,
      attributes: i.attributes === null ? null : { ...i.attributes },
    }));
  }

  /** The module's explicit exports: direct, reexport and reexport-all records. */
  exports(): ModuleExport[] {
    const state = this.#state;
    state.exports ??= moduleExports(state.text, state.url ?? state.evalId);
    return state.exports.map((e) => (e.type === 'direct' ? { type: 'direct', names: [...e.names] } : { ...e }));
  }

  /** Whether the module uses import.meta. */
  get importMeta(): boolean {
    return this.#state.lex.importMeta;
  }

  /** Whether the module uses top-level await. */
  get hasTopLevelAwait(): boolean {
    const state = this.#state;
    state.topLevelAwait ??= hasTopLevelAwait(state.text, state.url ?? state.evalId);
    return state.topLevelAwait;
  }

  /**
   * A native %AbstractModuleSource% getter cannot recognise sources made by
   * JS, so ModuleSource answers for itself (the same answer on every host).
   */
  get [Symbol.toStringTag](): 'ModuleSource' | undefined {
    return isModuleSource(this) ? 'ModuleSource' : undefined;
  }

  static {
    // Private access for this file, without public statics on the class: the
    // state of a source, and the brand check (only the constructor's objects
    // have the private field).
    stateOf = (source) => source.#state;
    registerModuleSourceBrand((value) => #state in value);
  }
}


Object.setPrototypeOf(ModuleSource, AbstractModuleSource);
Object.setPrototypeOf(ModuleSource.prototype, AbstractModuleSource.prototype);
// Like the built-ins: methods and accessors are non-enumerable already (class syntax).

export interface CreateSourceOptions {
  url: string | undefined;
  attributes: unknown;
  baseURL?: string | undefined;
  /** The XXH3-128 of the text's UTF-8, when the loader already has it. */
  hash?: bigint | undefined;
  /** The text's lexer result, when a cache record already has it (the text is not lexed again). */
  lex?: LexResult | undefined;
  /** The realm the source is for (an instance of its ModuleSource); default Node's own. */
  realm?: SourceRealm | undefined;
  /** An eval-ish source's id, when it is a copy of one (the same key); default a fresh one. */
  evalId?: string | undefined;
}

/**
 * Creates a source; lexes first, so text that cannot be lexed throws a
 * ModuleSyntaxError and no object escapes. Rooted when `url` is given,
 * eval-ish (with a fresh eval id) otherwise.
 */
export function createModuleSource(text: string, options: CreateSourceOptions): ModuleSource {
  const attributes = normalizeAttributes(options.attributes);
  const evalId = options.url === undefined ? options.evalId ?? newEvalId() : undefined;
  const lex = options.lex ?? lexModule(text, options.url ?? evalId);
  const state: SourceState = {
    text,
    realm: options.realm,
    url: options.url,
    attributes,
    evalId,
    baseURL: options.url ?? options.baseURL,
    lex,
    hash: options.hash,
    exports: undefined,
    topLevelAwait: undefined,
  };
  // A realm's source is made by canon's class (its private state and brand) with the realm's class
  // as new.target, so its prototype chain is the realm's own (realms/realm-intrinsics.ts).
  const realm = options.realm;
  if (realm && realm.ModuleSource !== ModuleSource) return Reflect.construct(ModuleSource, [INTERNAL, state], realm.ModuleSource) as ModuleSource;
  return new ModuleSource(INTERNAL, state);
}

/** The realm a source was made for; undefined for Node's own. */
export function moduleSourceRealm(source: ModuleSource): SourceRealm | undefined {
  return stateOf(source).realm;
}

/** The source text (immutable). Throws TypeError for anything but a canon ModuleSource. */
export function moduleSourceText(source: ModuleSource): string {
  return stateOf(source).text;
}

/** The lexer's result for the loader (positions of every import). */
export function moduleSourceLex(source: ModuleSource): LexResult {
  return stateOf(source).lex;
}

export function moduleSourceMetadata(source: ModuleSource): SourceMetadata {
  const { url, attributes, evalId, baseURL } = stateOf(source);
  return { url, attributes, evalId, baseURL };
}

/** The XXH3-128 content hash of the text's UTF-8 (computed once). */
export function moduleSourceHash(source: ModuleSource): bigint {
  const state = stateOf(source);
  state.hash ??= engineCore().hash128(state.text);
  return state.hash;
}
