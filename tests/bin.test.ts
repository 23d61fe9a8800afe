// The package as users get it: packed with `npm pack`, installed into
// another project by npm under its published name (canon-modules), the
// `canon` bin started through npm's bin link and npx, and the engine imported
// by name from a program of that project. The shebang line gives Node
// --experimental-vm-modules, so the program runs in the very process npm's
// link started (no re-execution). And a program that uses the Registry
// without that flag gets an error that names it.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const ownPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

test('the packed package installs under its name; its bin runs a program in one process, through node_modules/.bin and npx; the engine imports by name', { skip: process.platform === 'win32' && 'the shebang line is a POSIX feature' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-bin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: the tarball takes the build already in dist/ and build/.
  execFileSync(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-canon', version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(project, 'dep.mjs'), 'export const who = "a module graph";\n');
  // The program prints its pid: npm's bin link started it directly, so it is the pid the test spawned.
  writeFileSync(join(project, 'main.mjs'), 'import { who } from "./dep.mjs";\nconsole.log(`hello from ${who}`, process.pid, typeof ModuleSource);\n');
  // The dependencies come from npm's cache (npm ci filled it) where it can.
  execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent', join(dir, tarball)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });

  // Installed under the package's own name, which is what `npm install <name>` will fetch once published.
  assert.equal(ownPackage.name, 'canon-modules');
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'canon-modules', 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
  assert.deepEqual([installed.name, installed.version, Object.keys(installed.bin)], ['canon-modules', ownPackage.version, ['canon']]);
  const dependencies = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
  assert.deepEqual(Object.keys(dependencies), ['canon-modules'], 'npm recorded the dependency under the package name');

  const bin = join(project, 'node_modules', '.bin', 'canon');
  const direct = spawnSync(bin, ['run', 'main.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(direct.status, 0, direct.stderr);
  assert.equal(direct.stderr, '', 'no experimental-feature warning');
  assert.equal(direct.stdout, `hello from a module graph ${direct.pid} function\n`, 'the program ran in the process the bin link started');

  const viaNpx = spawnSync(npx, ['--no-install', 'canon', 'run', 'main.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(viaNpx.status, 0, viaNpx.stderr);
  assert.equal(viaNpx.stderr, '');
  assert.match(viaNpx.stdout, /^hello from a module graph \d+ function\n$/);

  // A program of the project uses the engine by its package name (the exports map: `canon-modules` and `canon-modules/core`).
  writeFileSync(join(project, 'embed.mjs'), [
    "import { Registry } from 'canon-modules';",
    "import { createCore } from 'canon-modules/core';",
    "const registry = new Registry();",
    "const ns = await registry.import('./dep.mjs', { referrer: import.meta.url });",
    "console.log(ns.who, registry.entries().map((e) => e.key.split('/').pop()).join(), typeof createCore().hash64('x'));",
    '',
  ].join('\n'));
  const embedded = spawnSync(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'embed.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(embedded.status, 0, embedded.stderr);
  assert.equal(embedded.stdout, 'a module graph dep.mjs bigint\n');
});

test('a program that uses the Registry without --experimental-vm-modules gets an error naming the flag', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-noflag-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'entry.mjs'), 'export default 1;\n');
  const index = pathToFileURL(join(root, 'dist/ts-host/index.js')).href;
  const script = `
    import { Registry, VmModulesUnavailableError } from ${JSON.stringify(index)};
    try {
      await new Registry().import(${JSON.stringify(pathToFileURL(join(dir, 'entry.mjs')).href)});
      console.log('imported');
    } catch (error) {
      console.log(error instanceof VmModulesUnavailableError, error.code, error.message);
    }
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^true ERR_CANON_VM_MODULES_UNAVAILABLE .*--experimental-vm-modules/);
});
