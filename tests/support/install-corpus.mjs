// Installs the real-world differential corpus: the npm packages pinned in
// tests/support/corpus/package-lock.json go into .cache/corpus/node_modules
// (`npm ci`, never project dependencies), and the programs of
// tests/fixtures/npm/<name>/ are copied to .cache/corpus/app/<name>/, where
// Node's node_modules lookup from a program finds .cache/corpus/node_modules
// (from the source tree it would find the project's own node_modules).
// Idempotent: npm ci runs only when the installed lockfile differs from the
// pinned one, and the programs are copied again only when they changed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pinned = fileURLToPath(new URL('./corpus/', import.meta.url));
const programs = fileURLToPath(new URL('../fixtures/npm/', import.meta.url));
export const CORPUS_DIR = fileURLToPath(new URL('../../.cache/corpus/', import.meta.url));
export const APP_DIR = join(CORPUS_DIR, 'app');
// Written after a successful npm ci: the lockfile it installed.
const installedLock = join(CORPUS_DIR, 'installed-lock.json');
// Written after the programs were copied: a digest of their files.
const copiedStamp = join(APP_DIR, '.programs-digest');

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function installPackages() {
  const lock = read(join(pinned, 'package-lock.json'));
  if (lock === undefined) throw new Error(`install-corpus: no lockfile at ${pinned}package-lock.json`);
  if (read(installedLock) === lock && existsSync(join(CORPUS_DIR, 'node_modules/.package-lock.json'))) return false;
  process.stderr.write(`install-corpus: npm ci of ${pinned}package-lock.json into ${CORPUS_DIR}\n`);
  mkdirSync(CORPUS_DIR, { recursive: true });
  rmSync(installedLock, { force: true });
  copyFileSync(join(pinned, 'package.json'), join(CORPUS_DIR, 'package.json'));
  copyFileSync(join(pinned, 'package-lock.json'), join(CORPUS_DIR, 'package-lock.json'));
  // --ignore-scripts: no package of the corpus needs an install script, and
  // none of them gets to run code at install time.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: CORPUS_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(installedLock, lock);
  return true;
}

/** Relative path, size and content hash of every file under `dir`, sorted. */
function digest(dir) {
  const hash = createHash('sha256');
  const walk = (sub) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub === '' ? name : `${sub}/${name}`;
      const stat = statSync(join(dir, rel));
      if (stat.isDirectory()) walk(rel);
      else hash.update(`${rel}\0${stat.size}\0`).update(readFileSync(join(dir, rel))).update('\0');
    }
  };
  walk('');
  return hash.digest('hex');
}

function copyPrograms() {
  const sum = digest(programs);
  if (read(copiedStamp) === sum) return false;
  // Copied beside the old copy and swapped in, so a reader never sees half a tree.
  const next = `${APP_DIR}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  cpSync(programs, next, { recursive: true });
  writeFileSync(join(next, '.programs-digest'), sum);
  rmSync(APP_DIR, { recursive: true, force: true });
  renameSync(next, APP_DIR);
  return true;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Runs `work` holding .cache/corpus.lock, so that test files started at the
 * same time (node --test runs files in parallel) do not run npm ci into the
 * same folder at once; the others wait, then find the work done. A lock left
 * by a process that died is taken over.
 */
function withLock(work) {
  const lock = `${CORPUS_DIR.replace(/\/$/, '')}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const owner = Number(read(join(lock, 'pid')));
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited > 10 * 60_000) throw new Error(`${lock} held for more than 10 minutes (pid ${owner}); remove it if no install is running`);
      sleep(200);
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs what is missing or stale; returns the corpus folder. */
export function installCorpus() {
  withLock(() => {
    installPackages();
    copyPrograms();
  });
  return CORPUS_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    installCorpus();
  } catch (e) {
    process.stderr.write(`install-corpus: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
