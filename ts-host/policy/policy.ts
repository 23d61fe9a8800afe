// The registry's policy: the three gates of seed 003 (source creation,
// transfer, instantiation), with loading as the first part of creation
// (which URLs, schemes and builtins may load at all). Each check either
// returns or throws a PolicyError naming the gate, the module, the referrer
// and the rule; the registry makes every check before it changes anything
// for that module (or undoes the module's entry), so a refusal leaves the
// registry as it was.

import { PolicyError, shorten, type ErrorSite, type PolicyGate } from '../errors.js';
import type { ModuleKind } from '../loader/entry.js';
import { realFileURL } from '../resolve/real-path.js';
import { compileList, refusal, type RuleList } from './rules.js';

/** Rules as strings: see policy/rules.ts (schemes "data:", builtins "node:fs" / "node:*", URL prefixes). */
export interface RuleListOptions {
  /** When given, only what matches one of these passes. */
  allow?: readonly string[];
  /** What matches one of these never passes (deny wins over allow). */
  deny?: readonly string[];
}

export interface PolicyOptions {
  /** Which modules may be loaded (by URL, after symlinks; builtins by name). Default: all. */
  load?: RuleListOptions;
  /**
   * Whether eval-ish sources (made from text, with no URL: ModuleSource.fromText,
   * a load hook's answer built that way, a deserialized one) may enter the
   * registry. Default: true.
   */
  evalSources?: boolean;
  /** Which sources may be serialized out of, or deserialized into, the registry (by key). Default: all. */
  transfer?: RuleListOptions;
  /** Which modules may become module instances: by key, and by kind ('js', 'cjs', 'json', 'wasm', 'builtin'). Default: all. */
  instantiate?: RuleListOptions & { kinds?: readonly ModuleKind[] };
}

const KINDS: readonly ModuleKind[] = ['js', 'cjs', 'json', 'wasm', 'builtin'];

/** A compiled policy. Build one with `new Policy(options)` or pass the options to `new Registry({ policy })`. */
export class Policy {
  readonly #load: RuleList;
  readonly #transfer: RuleList;
  readonly #instantiate: RuleList;
  readonly #kinds: ReadonlySet<ModuleKind> | undefined;
  readonly evalSources: boolean;
  /** The rules as given, plain data: what crosses to a worker (createWorker), which builds the same policy there. */
  readonly options: PolicyOptions;

  constructor(options: PolicyOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('Policy: options must be an object');
    this.options = structuredClone(options);
    this.#load = compileList(options.load, 'policy.load');
    this.#transfer = compileList(options.transfer, 'policy.transfer');
    this.#instantiate = compileList(options.instantiate, 'policy.instantiate');
    const kinds = options.instantiate?.kinds;
    if (kinds !== undefined) {
      if (!Array.isArray(kinds) || kinds.some((k) => !KINDS.includes(k))) {
        throw new TypeError(`policy.instantiate.kinds must be an array of ${KINDS.map((k) => JSON.stringify(k)).join(', ')}`);
      }
      this.#kinds = new Set(kinds);
    }
    if (options.evalSources !== undefined && typeof options.evalSources !== 'boolean') throw new TypeError('policy.evalSources must be a boolean');
    this.evalSources = options.evalSources ?? true;
    Object.freeze(this);
  }

  /** Gate "load": may the module at `url` be loaded? */
  checkLoad(url: string, site: ErrorSite): void {
    this.#check('load', this.#load, url, site);
  }

  /** Gate "create": may an eval-ish source (key `eval:...`) enter the registry? */
  checkCreate(key: string, site: ErrorSite): void {
    if (this.evalSources || !key.startsWith('eval:')) return;
    throw refused('create', key, 'evalSources: false', site);
  }

  /** Gate "transfer": may the source keyed `key` be serialized out or deserialized in? */
  checkTransfer(key: string, direction: 'out' | 'in', site: ErrorSite): void {
    this.#check('transfer', this.#transfer, key, site, direction === 'out' ? 'serialize' : 'deserialize');
    if (direction === 'in') this.checkCreate(key, site);
  }

  /** Gate "instantiate": may the module keyed `key`, of this kind, become an instance? */
  checkInstantiate(key: string, kind: ModuleKind, site: ErrorSite): void {
    this.#check('instantiate', this.#instantiate, key, site);
    if (this.#kinds && !this.#kinds.has(kind)) {
      throw refused('instantiate', key, `kinds [${[...this.#kinds].join(', ')}] has no ${kind}`, site);
    }
  }

  #check(gate: PolicyGate, list: RuleList, url: string, site: ErrorSite, what?: string): void {
    if (list.allow === undefined && list.deny.length === 0) return;
    // A file is judged by where it really is: a link inside an allowed directory to a file outside is outside.
    const real = url.startsWith('file:') ? realFileURL(url) : url;
    const rule = refusal(list, real);
    if (rule !== undefined) throw refused(gate, url, rule + (real !== url ? ` (${real}, the link's target)` : ''), site, what);
  }
}

function refused(gate: PolicyGate, module: string, rule: string, site: ErrorSite, what?: string): PolicyError {
  return new PolicyError(`The policy refuses to ${what ?? gateVerb[gate]} ${shorten(module)}: ${shorten(rule, 500)}`, { ...site, url: site.url ?? module, gate, rule, module });
}

const gateVerb: Record<PolicyGate, string> = { load: 'load', create: 'create', transfer: 'transfer', instantiate: 'instantiate' };

/** A Policy from options (or the Policy itself); undefined for none. */
export function policyOption(value: Policy | PolicyOptions | undefined): Policy | undefined {
  if (value === undefined) return undefined;
  return value instanceof Policy ? value : new Policy(value);
}
