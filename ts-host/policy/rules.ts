// Policy rules: what a rule string matches. A rule is one of
//   "data:", "https:", "node:"  a scheme (ends with ":"): every URL of it
//   "node:fs", "node:*"          a builtin by name (with or without "node:"), or every builtin
//   "file:///app/"               a URL prefix; a prefix without a trailing "/"
//                                matches that URL itself or below it as a
//                                directory, never "file:///app-evil/"
// Rules are matched against normalized URLs (what resolution gives), file:
// URLs after their symlinks are resolved (policy/policy.ts).

import { builtinModules } from 'node:module';

export type Rule = (url: string) => boolean;

const builtins = new Set(builtinModules);

/** Compiles one rule string; a malformed one is a TypeError at construction, not a silent never-match. */
export function compileRule(rule: unknown, where: string): Rule {
  if (typeof rule !== 'string' || rule === '') throw new TypeError(`${where}: a rule must be a non-empty string, got ${JSON.stringify(rule)}`);
  if (rule === 'node:*') return (url) => url.startsWith('node:');
  if (/^[a-z][a-z0-9+.-]*:$/i.test(rule)) {
    const scheme = rule.toLowerCase();
    return (url) => url.slice(0, scheme.length).toLowerCase() === scheme;
  }
  const name = rule.startsWith('node:') ? rule.slice(5) : rule;
  if (builtins.has(name) || builtins.has(rule)) {
    const url = `node:${name}`;
    return (candidate) => candidate === url;
  }
  let prefix: string;
  try {
    prefix = new URL(rule).href;
  } catch {
    throw new TypeError(`${where}: ${JSON.stringify(rule)} is neither a scheme ("data:"), a builtin ("node:fs", "node:*") nor an absolute URL prefix`);
  }
  const directory = prefix.endsWith('/') ? prefix : prefix + '/';
  return (url) => url === prefix || url.startsWith(directory);
}

/** An allow/deny list: denied if any deny rule matches; otherwise allowed if there is no allow list or an allow rule matches. */
export interface RuleList {
  allow: { text: string; test: Rule }[] | undefined;
  deny: { text: string; test: Rule }[];
}

export function compileList(list: { allow?: readonly string[] | undefined; deny?: readonly string[] | undefined } | undefined, where: string): RuleList {
  const compile = (rules: readonly string[] | undefined, what: string) => {
    if (rules === undefined) return undefined;
    if (!Array.isArray(rules)) throw new TypeError(`${where}.${what} must be an array of rules`);
    return rules.map((text, i) => ({ text, test: compileRule(text, `${where}.${what}[${i}]`) }));
  };
  return { allow: compile(list?.allow, 'allow'), deny: compile(list?.deny, 'deny') ?? [] };
}

/** Why `url` is refused by a list (the rule, for the error), or undefined when it is allowed. */
export function refusal(list: RuleList, url: string): string | undefined {
  for (const rule of list.deny) if (rule.test(url)) return `deny ${JSON.stringify(rule.text)}`;
  if (list.allow === undefined) return undefined;
  for (const rule of list.allow) if (rule.test(url)) return undefined;
  return list.allow.length === 0 ? 'allow [] (nothing is allowed)' : `not in allow [${list.allow.map((r) => JSON.stringify(r.text)).join(', ')}]`;
}
