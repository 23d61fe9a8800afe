// The CLI: help (per command, matching the README), errors with one clear
// line and the exit code the README lists, import map warnings, the demo.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--help prints usage and exits 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^canon: /);
  assert.match(r.stdout, /Usage:/);
});

test('usage errors: one line on stderr, exit 9 (node\'s code for bad options), nothing on stdout', () => {
  for (const [args, message] of [
    [[], /^canon: no command given \(see canon --help\)$/],
    [['frobnicate'], /^canon: unknown command "frobnicate"/],
    [['frobnicate', '--help'], /^canon: unknown command "frobnicate"/],
    [['--bogus'], /^canon: Unknown option '--bogus'/],
    [['run', '--bogus', 'x.js'], /^canon: Unknown option '--bogus'/],
    [['run', '--import-map'], /^canon: Option '--import-map <value>' argument missing/],
    [['run'], /^canon: run: expected one entry module, got 0 \(see canon run --help\)$/],
    [['graph', 'a.js', 'b.js'], /^canon: graph: expected one entry module, got 2/],
    [['graph', 'a.js', '--format', 'svg'], /^canon: --format must be json or dot, got "svg"$/],
    [['graph', 'a.js', '--registry'], /^canon: graph does not take --registry \(see canon graph --help\)$/],
    [['hash', '--out', 'x', 'a.js'], /^canon: hash does not take --out/],
    [['hash'], /^canon: hash: expected at least one file, got 0 \(see canon hash --help\)$/],
    [['demo', '--seed', 'x'], /^canon: --seed must be an integer, got "x"$/],
    [['demo', 'extra'], /^canon: demo: expected no arguments, got 1/],
    [['analyze'], /^canon: analyze: expected one file, got 0/],
    [['cache'], /^canon: cache: expected one action \(info or clear\), got 0/],
    [['cache', 'wipe'], /^canon: cache: expected "info" or "clear"/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 9, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.match(r.stderr.trim(), message);
  }
});

test('a command that fails (not a usage error): one line, exit 1', () => {
  const missing = run('hash', '/nonexistent/file.js');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /ENOENT.*\/nonexistent\/file\.js/);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  const noMap = run('graph', '--import-map', '/nonexistent/map.json', fileURLToPath(new URL('../../examples/app/main.js', import.meta.url)));
  assert.equal(noMap.status, 1);
  assert.match(noMap.stderr, /^canon: cannot read the import map \/nonexistent\/map\.json: ENOENT/);
});

test('hash prints the same XXH3-128 for the same file with a fixed seed', () => {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  const a = run('hash', '--seed', '5', file);
  const b = run('hash', '--seed', '5', file);
  assert.equal(a.status, 0);
  assert.match(a.stdout, /^[0-9a-f]{32} {2}.*package\.json\n$/);
  assert.equal(a.stdout, b.stdout);
});

const app = fileURLToPath(new URL('../../examples/app/main.js', import.meta.url));

test('run: the example app (npm start) runs and prints the registry; re-executes itself with the vm flag', () => {
  const r = run('run', '--registry', app);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no experimental-feature warning leaks through');
  assert.match(r.stdout, /isEven\(10\) through a cycle of two modules: true/);
  assert.match(r.stdout, /hello, module graphs/);
  assert.match(r.stdout, /from CommonJS: 3 modules, and its require\(\) of an ES module gives the same function: true/);
  assert.match(r.stdout, /The registry holds 7 entries:/);
  assert.match(r.stdout, /evaluated +cjs +[0-9a-f]{12} +\.\/examples\/app\/units\.cjs/);
  assert.match(r.stdout, /evaluated {2}json {2}[0-9a-f]{12} {2}\.\/examples\/app\/config\.json \{"type":"json"\}|evaluated +json +[0-9a-f]{12} +.*config\.json \{"type":"json"\}/);
});

test('run: a missing entry is one line naming it; a failing import shows the import in a code frame; exit 1', () => {
  const missing = run('run', '/nonexistent/entry.js');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, "Error: Cannot find module '/nonexistent/entry.js'\n");
  // node's own report of the same: that line, and require's code (node finds a main as require does).
  const native = spawnSync(process.execPath, ['/nonexistent/entry.js'], { encoding: 'utf8' });
  assert.ok(native.stderr.includes("\nError: Cannot find module '/nonexistent/entry.js'\n"), native.stderr);
  assert.match(native.stderr, /code: 'MODULE_NOT_FOUND'/);
  const bare = fileURLToPath(new URL('../../tests/fixtures/cli/bare.mjs', import.meta.url));
  const unmapped = run('run', bare);
  assert.equal(unmapped.status, 1);
  const lines = unmapped.stderr.split('\n');
  assert.equal(lines[0], `${pathToFileURL(bare).href}:1`);
  assert.equal(lines[1], "> 1 | import name from 'some-package';");
  assert.equal(lines[2], '    |                  ^^^^^^^^^^^^^^', 'the caret under the specifier');
  assert.match(unmapped.stderr, /^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'some-package' imported from .*bare\.mjs$/m);
});

test('run --import-map: bare specifiers map through the file, relative to it', () => {
  const dir = new URL('../../tests/fixtures/cli/', import.meta.url);
  const r = run('run', '--import-map', fileURLToPath(new URL('importmap.json', dir)), fileURLToPath(new URL('bare.mjs', dir)));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'mapped: some-package\n');
  const bad = run('run', '--import-map', '/nonexistent.json', fileURLToPath(new URL('bare.mjs', dir)));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /cannot read the import map/);
});

test('graph: the static graph as JSON (nothing evaluated) and as dot', () => {
  const r = run('graph', app);
  assert.equal(r.status, 0, r.stderr);
  const graph = JSON.parse(r.stdout) as { root: string; modules: { key: string; kind: string; hash: string; imports: { specifier: string; attributes: object }[] }[] };
  assert.ok(graph.root.endsWith('/examples/app/main.js'));
  assert.deepEqual(graph.modules.map((m) => m.key.split('/').pop()), ['main.js', 'config.json', 'even.js', 'describe.js', 'units.cjs', 'odd.js'], 'lazy.js is only imported dynamically');
  assert.ok(graph.modules.every((m) => /^[0-9a-f]{32}$/.test(m.hash)));
  assert.deepEqual(graph.modules[0]!.imports.map((i) => i.specifier), ['./config.json', './even.js', './describe.js', './units.cjs']);
  assert.deepEqual(graph.modules[0]!.imports[0]!.attributes, { type: 'json' });
  assert.doesNotMatch(r.stdout, /isEven/, 'nothing was evaluated');
  const dot = run('graph', app, '--format', 'dot');
  assert.equal(dot.status, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph canon \{/);
  assert.match(dot.stdout, /m2 -> m5;/);
  assert.equal(run('graph', app, '--format', 'svg').status, 9);
});

test('analyze: the source analysis as JSON', () => {
  const r = run('analyze', app);
  assert.equal(r.status, 0, r.stderr);
  const analysis = JSON.parse(r.stdout) as { kind: string; imports: unknown[]; importMeta: boolean; hasTopLevelAwait: boolean };
  assert.equal(analysis.kind, 'ModuleSource');
  assert.equal(analysis.imports.length, 4);
  assert.equal(analysis.importMeta, true);
  assert.equal(analysis.hasTopLevelAwait, true);
});

test('demo interns keys and shows the registry tables', () => {
  const r = run('demo', '--seed', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /intern file:\/\/\/app\/main\.js again -> id 0/);
  assert.match(r.stdout, /registry holds 3 entries/);
});

test('examples/core-usage.mjs runs against the package exports', () => {
  const example = fileURLToPath(new URL('../../examples/core-usage.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [example], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /main\.js id: 0 \| again: 0/);
  assert.match(r.stdout, /specifier ids: \[ 1, 2 \]/);
  assert.match(r.stdout, /entry for main\.js: 0/);
});

test('<command> --help prints that command\'s usage; after run\'s entry, --help is the program\'s', () => {
  for (const command of ['run', 'graph', 'importmap', 'cache', 'analyze', 'hash', 'demo']) {
    const r = run(command, '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage: canon ${command}`), command);
  }
  const dir = mkdtempSync(join(tmpdir(), 'canon-cli-help-'));
  writeFileSync(join(dir, 'argv.cjs'), 'console.log(JSON.stringify(process.argv.slice(2)));');
  const r = run('run', join(dir, 'argv.cjs'), '--help', '-x');
  assert.equal(r.stdout, '["--help","-x"]\n', r.stderr);
  rmSync(dir, { recursive: true, force: true });
});

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's section "The `canon` command", up to the next "## " heading. */
function commandSection(): string {
  const start = readme.indexOf('## The `canon` command');
  assert.ok(start >= 0, 'the README has a section on the command');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

test('help and README agree: every command\'s usage line, each option every command takes, run\'s options in one table', () => {
  const general = run('--help').stdout;
  const section = commandSection();
  for (const command of ['run', 'graph', 'importmap', 'cache', 'analyze', 'hash', 'demo']) {
    const help = run(command, '--help').stdout;
    const usage = help.split('\n')[0]!.slice('Usage: '.length);
    assert.ok(general.includes(`  ${usage}\n`), `canon --help lists ${usage}`);
    assert.ok(section.includes(usage), `the README lists "${usage}"`);
    // The options this command's help lists are the ones it accepts, and the others are refused. (No
    // argument follows, so an accepted option ends in another usage error, before any work.)
    const listed = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);
    for (const option of ['--import-map', '--conditions', '--registry', '--no-cache', '--watch', '--format', '--out', '--seed']) {
      const value = ['--import-map', '--conditions', '--format', '--out', '--seed'].includes(option) ? ['json'] : [];
      const r = run(command, option, ...value);
      assert.equal(r.status, 9, `${command} ${option}: ${r.stderr}`);
      assert.equal(/does not take/.test(r.stderr), !listed.includes(option), `${command} ${option}: ${r.stderr}`);
    }
  }
  // canon run's options: one table in the README, the same set as `canon run --help`.
  const runHelp = run('run', '--help').stdout;
  const helpOptions = [...runHelp.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!).sort();
  const table = section.slice(section.indexOf('| `canon run` option |'));
  const tableOptions = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]!).sort();
  assert.deepEqual(tableOptions, helpOptions);
});

test('the README\'s exit-code table lists exactly the codes canon --help lists', () => {
  const help = run('--help').stdout;
  const fromHelp = [...help.slice(help.indexOf('Exit codes:')).matchAll(/^ {2}(\d+|other) /gm)].map((m) => m[1]);
  const section = commandSection();
  const table = section.slice(section.indexOf('| exit code |'));
  const fromReadme = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| (\d+|other)/gm)].map((m) => m[1]);
  assert.deepEqual(fromReadme, fromHelp);
  assert.deepEqual(fromHelp, ['0', '1', '9', '13', 'other']);
});

test('--version is the package\'s version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const r = run('--version');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `canon ${pkg.version}\n`);
});

describe('import map warnings and errors on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-cli-map-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'vendor', 'lib.js'), 'export default "mapped lib";\n');
  writeFileSync(join(dir, 'main.mjs'), 'import lib from "lib";\nconsole.log(lib);\n');
  // A misspelled top-level key and an entry whose address is not a string: the spec only warns.
  writeFileSync(join(dir, 'map.json'), JSON.stringify({ imports: { lib: './vendor/lib.js', broken: 42 }, scops: {} }, null, 2));
  const warnings = [
    /^canon: warning: .*map\.json: imports\["broken"\]: its address number 42 is not a string; the entry blocks resolution of "broken"$/,
    /^canon: warning: .*map\.json: ignored the top-level key "scops": only "imports", "scopes" and "integrity" are allowed$/,
  ];
  const canon = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  const stderrLines = (text: string) => text.split('\n').filter(Boolean);

  test('canon run --import-map: the warnings on stderr, the program runs', () => {
    const r = canon('run', '--import-map', 'map.json', 'main.mjs');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'mapped lib\n');
    const lines = stderrLines(r.stderr);
    assert.equal(lines.length, 2, r.stderr);
    lines.forEach((line, i) => assert.match(line, warnings[i]!));
  });

  test('canon graph --import-map: the warnings on stderr, the graph on stdout', () => {
    const r = canon('graph', '--import-map', 'map.json', 'main.mjs');
    assert.equal(r.status, 0, r.stderr);
    const graph = JSON.parse(r.stdout) as { modules: { key: string }[] };
    assert.deepEqual(graph.modules.map((m) => m.key.split('/').slice(-2).join('/')), [`${dir.split('/').pop()}/main.mjs`, 'vendor/lib.js']);
    stderrLines(r.stderr).forEach((line, i) => assert.match(line, warnings[i]!));
    assert.equal(stderrLines(r.stderr).length, 2);
  });

  test('canon importmap --import-map: the warnings on stderr; the map written holds what the given map resolved', () => {
    const r = canon('importmap', '--import-map', 'map.json', 'main.mjs');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { imports: { lib: './vendor/lib.js' } });
    stderrLines(r.stderr).forEach((line, i) => assert.match(line, warnings[i]!));
    assert.equal(stderrLines(r.stderr).length, 2);
  });

  test('a map file that starts with a byte order mark loads, as browsers decode it', () => {
    writeFileSync(join(dir, 'bom.json'), '\ufeff' + JSON.stringify({ imports: { lib: './vendor/lib.js' } }));
    const r = canon('run', '--import-map', 'bom.json', 'main.mjs');
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, 'mapped lib\n', '']);
  });

  test('a map that is not JSON: file:line:column, the offending line and a caret, exit 1', () => {
    writeFileSync(join(dir, 'bad.json'), '{\n  "imports": {\n    "lib": "./vendor/lib.js",\n  }\n}\n');
    for (const command of ['run', 'graph', 'importmap']) {
      const r = canon(command, '--import-map', 'bad.json', 'main.mjs');
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      const lines = r.stderr.split('\n');
      assert.equal(lines[0], `canon: TypeError: Invalid import map: ${join(dir, 'bad.json')}:4:3: the text is not valid JSON: Expected double-quoted property name`);
      assert.deepEqual(lines.slice(1), ['  3 |     "lib": "./vendor/lib.js",', '> 4 |   }', '    |   ^', '  5 | }', '']);
    }
  });
});
