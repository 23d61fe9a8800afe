// Node's resolution algorithm, rule by rule, against native Node: for each
// case (referrer file, specifier, import or require, conditions) canon's
// `registry.resolve(specifier, referrer, { kind })` gives the URL native Node
// resolves to, or an error with native Node's code.
//
// The fixtures (tests/fixtures/resolve) are a small app with hand-written
// packages in node_modules: "exports" conditions, subpath patterns, sugar,
// null targets, arrays; "imports" (#x) with conditions, patterns, null targets
// and package targets; self-reference; "main" fallbacks; "type"; two versions
// of one package; scoped packages; and a symlinked package, made by the test
// in a temporary copy of the tree (a symlink in git is fragile).
//
// Native answers come from one child process per set of conditions (the
// conditions of a Node process are fixed by --conditions), which resolves
// every case at once: `import` cases with import.meta.resolve(specifier,
// parent) (--experimental-import-meta-resolve), completed as `import` itself
// would be: import.meta.resolve returns the URL of a missing file or of a
// folder, where an import fails with ERR_MODULE_NOT_FOUND /
// ERR_UNSUPPORTED_DIR_IMPORT; `require` cases with
// createRequire(referrer).resolve(specifier).

import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Registry } from '../ts-host/registry.js';
import { PackageTypes } from '../ts-host/resolve/package-type.js';
import { nodeAtLeast } from '../ts-host/node-version.js';

type Kind = 'import' | 'require';

interface Case {
  /** The referrer, relative to the fixture root. */
  from: string;
  specifier: string;
  kind: Kind;
  /** User conditions (besides node, import/require, default). */
  conditions: string[];
}

/** A resolution: the URL (relative to the fixture root when inside it), or an error code. */
type Answer = { url: string } | { code: string };

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/resolve/', import.meta.url));

const APP = 'src/main.js';
const APP_CJS = 'src/main.cjs';
const USER = 'node_modules/user/index.js';
const WITH_IMPORTS = 'node_modules/with-imports/index.js';
const LINKED = 'linked-src/index.mjs';

const cases: Case[] = [];
function add(from: string, specifiers: string[], kinds: Kind[] = ['import', 'require'], conditionSets: string[][] = [[]]): void {
  for (const specifier of specifiers) {
    for (const kind of kinds) {
      for (const conditions of conditionSets) cases.push({ from, specifier, kind, conditions });
    }
  }
}
const BOTH: Kind[] = ['import', 'require'];
const WITH_CUSTOM = [[], ['canon-test']];

// "exports": conditions (import / require / node / default / a custom one), nesting, no match.
add(APP, ['cond', 'cond/node-first', 'cond/nested', 'cond/browser-only'], BOTH, WITH_CUSTOM);
// "exports": subpath patterns (the longest matching key wins), null targets, arrays, exported package.json, unexported files.
add(APP, ['cond/features/a', 'cond/features/deep/b', 'cond/features/c.json', 'cond/features/private/p', 'cond/assets/logo.svg',
  'cond/fallback', 'cond/package.json', 'cond/not-exported.js', 'cond/features']);
// "exports" sugar: a string, conditions without ".", a null ".".
add(APP, ['sugar', 'sugar/lib/main.js', 'sugar-cond', 'null-root', 'null-root/ok']);
// "main" fallbacks (no extension, a folder, missing main -> index.js, no main, no package.json) and "type".
add(APP, ['main-noext', 'main-dir', 'main-missing', 'no-main', 'no-main/sub/file.js', 'no-main/sub/file', 'no-main/sub', 'no-pkg-json',
  'type-module', 'type-commonjs']);
// Two versions of one package: the nearest node_modules wins.
add(APP, ['dup', 'dup/package.json']);
add(USER, ['dup', 'dup/package.json', 'user', 'cond']);
// Scoped packages.
add(APP, ['@scope/pkg', '@scope/pkg/sub', '@scope/pkg/sub/one', '@scope/pkg/index.js', '@scope/plain', '@scope/missing', '@scope']);
// "imports": plain, conditions (with the custom one), patterns, null targets, package targets, undefined and invalid names.
add(APP, ['#internal', '#cond', '#lib/x', '#lib/secret/y', '#dep', '#dep/a', '#missing', '#outside', '#', '#lib/'], BOTH, WITH_CUSTOM);
add(APP_CJS, ['#internal', '#cond', '#dep']);
// "#/" keys: invalid before Node 25 (ERR_INVALID_MODULE_SPECIFIER), a plain pattern since; canon follows the running Node.
add(APP, ['#/lib/x.js', '#/internal.js']);
add(WITH_IMPORTS, ['#internal', '#pkg', '#star/s', '#star/missing', '#internal/x']);
// Self-reference by package name (app and dependency), with "exports" conditions, patterns and null targets.
add(APP, ['resolve-app', 'resolve-app/utils/a', 'resolve-app/private/x', 'resolve-app/package.json']);
add(WITH_IMPORTS, ['with-imports', 'with-imports/self-ref', 'with-imports/internal.js']);
// Relative and absolute specifiers: folders (ERR_UNSUPPORTED_DIR_IMPORT for import), extension search for require only, JSON, missing files.
add(APP, ['./dir', './dir/index.js', './file', './file.cjs', './data.json', './noext', './missing.js', '../outside.js', '/does/not/exist.js']);
// A symlinked package resolves to its real path, and its own "imports" from there.
add(APP, ['linked', 'linked/package.json']);
add(LINKED, ['#dep', 'linked']);
// Not installed, and builtins.
add(APP, ['not-installed', 'not-installed/sub', 'node:fs', 'fs', 'fs/promises', 'node:test']);

/** Runs in a child process: resolves every case under this Node with its --conditions. */
const PROBE = `
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
const cases = JSON.parse(process.argv[2]);
const out = [];
for (const { referrer, specifier, kind } of cases) {
  try {
    if (kind === 'require') {
      const resolved = createRequire(referrer).resolve(specifier);
      out.push({ url: resolved.startsWith('/') ? pathToFileURL(resolved).href : resolved });
      continue;
    }
    const url = import.meta.resolve(specifier, pathToFileURL(referrer).href);
    if (url.startsWith('file:')) {
      const path = fileURLToPath(url);
      if (!existsSync(path)) { out.push({ code: 'ERR_MODULE_NOT_FOUND' }); continue; }
      if (statSync(path).isDirectory()) { out.push({ code: 'ERR_UNSUPPORTED_DIR_IMPORT' }); continue; }
    }
    out.push({ url });
  } catch (e) {
    out.push({ code: e.code ?? e.name });
  }
}
process.stdout.write(JSON.stringify(out));
`;

let root = '';
let rootURL = '';
const native = new Map<Case, Answer>();

function relative(url: string): string {
  return url.startsWith(rootURL) ? url.slice(rootURL.length) : url;
}

/** Builtins: require.resolve('fs') is 'fs', import gives 'node:fs'; both are the builtin. */
function normalize(answer: Answer): Answer {
  if ('code' in answer) return answer;
  if (!answer.url.includes(':') && !answer.url.startsWith('/')) return { url: `node:${answer.url}` };
  return { url: relative(answer.url) };
}

function probe(conditions: string[], batch: Case[]): Promise<Answer[]> {
  const probeFile = join(root, '.probe.mjs');
  const args = ['--experimental-import-meta-resolve', '--no-warnings', ...conditions.map((c) => `--conditions=${c}`), probeFile,
    JSON.stringify(batch.map((c) => ({ referrer: join(root, c.from), specifier: c.specifier, kind: c.kind })))];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`native probe failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Answer[]);
    });
  });
}

const registries = new Map<string, Registry>();
/** canon's answer; the three-argument resolve() and the conditions option are what Node resolution adds to the Registry. */
function canonResolve(c: Case): Answer {
  const key = c.conditions.join(',');
  let registry = registries.get(key);
  if (registry === undefined) {
    const options = { baseURL: rootURL, conditions: c.conditions } as ConstructorParameters<typeof Registry>[0];
    registries.set(key, (registry = new Registry(options)));
  }
  const resolve = registry.resolve as unknown as (this: Registry, specifier: string, referrer: string, options: { kind: Kind }) => string;
  try {
    const url = String(resolve.call(registry, c.specifier, pathToFileURL(join(root, c.from)).href, { kind: c.kind }));
    // As on the native side: import's resolution of a relative URL does not look at the file (loading it
    // does), so both sides' URLs go through the same check of what loading it would meet.
    if (c.kind === 'import' && url.startsWith('file:')) {
      const path = fileURLToPath(url);
      if (!existsSync(path)) return { code: 'ERR_MODULE_NOT_FOUND' };
      if (statSync(path).isDirectory()) return { code: 'ERR_UNSUPPORTED_DIR_IMPORT' };
    }
    return normalize({ url });
  } catch (e) {
    return { code: String((e as { code?: unknown }).code ?? (e as Error).name) };
  }
}

describe(`Node resolution, rule by rule (Node ${process.versions.node})`, () => {
  before(async () => {
    // realpath: native answers are real paths (/tmp may be a link).
    root = realpathSync(mkdtempSync(join(tmpdir(), 'canon-resolve-')));
    cpSync(FIXTURES, root, { recursive: true });
    symlinkSync(join(root, 'linked-src'), join(root, 'node_modules/linked'), 'dir');
    writeFileSync(join(root, '.probe.mjs'), PROBE);
    rootURL = pathToFileURL(root).href + '/';
    const groups = new Map<string, Case[]>();
    for (const c of cases) {
      const key = c.conditions.join(',');
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    await Promise.all([...groups.values()].map(async (batch) => {
      const answers = await probe(batch[0].conditions, batch);
      batch.forEach((c, i) => native.set(c, normalize(answers[i])));
      // CANON_RESOLVE_DUMP=1 lists native answers (on stderr), to read what Node does.
      if (process.env.CANON_RESOLVE_DUMP) for (const c of batch) console.error(c.kind.padEnd(8), c.from.padEnd(36), c.specifier.padEnd(26), c.conditions.join(',').padEnd(11), JSON.stringify(native.get(c)));
    }));
  });
  after(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  for (const c of cases) {
    const label = `${c.kind} '${c.specifier}' from ${c.from}${c.conditions.length > 0 ? ` [${c.conditions.join(',')}]` : ''}`;
    test(label, () => {
      const expected = native.get(c);
      assert.ok(expected !== undefined, 'no native answer');
      assert.deepEqual(canonResolve(c), expected);
    });
  }
});

test('a package.json "type" counts where Node counts it: escaped, spaced, not nested (read without a parse where it cannot count)', () => {
  const cases: [string, string, 'module' | 'detect' | 'commonjs'][] = [
    ['plain', '{ "name": "p", "dependencies": { "a": "1" } }', 'detect'],
    ['module', '{ "type": "module" }', 'module'],
    ['spaced', '{ "type" :\n  "commonjs" }', 'commonjs'],
    ['escaped-key', '{ "typ\\u0065": "module" }', 'module'],
    ['escaped-value', '{ "type": "\\u006dodule" }', 'module'],
    ['nested', '{ "name": "n", "repository": { "type": "module" } }', 'detect'],
    ['other-value', '{ "type": "git" }', 'detect'],
  ];
  const types = new PackageTypes();
  const scratch = mkdtempSync(join(tmpdir(), 'canon-package-type-'));
  try {
    for (const [name, json, expected] of cases) {
      const dir = join(scratch, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), json);
      writeFileSync(join(dir, 'index.js'), "console.log(typeof require === 'function' ? 'commonjs' : 'module');\n");
      assert.equal(types.formatOf(join(dir, 'index.js')), expected, name);
      // As node runs it (a script without module syntax is CommonJS where nothing claims it). Node 26
      // reads an escaped key as written (no "type"); canon, as JSON and Node 20 do, as "type".
      if (name === 'escaped-key' && nodeAtLeast(26)) continue;
      const native = spawnSync(process.execPath, [join(dir, 'index.js')], { encoding: 'utf8' });
      assert.equal(native.stdout.trim(), expected === 'module' ? 'module' : 'commonjs', `${name}: ${native.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
