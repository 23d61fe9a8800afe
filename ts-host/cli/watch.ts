// `canon run --watch <entry>`: runs the program, and when one of the files
// it loaded changes, applies the change hot where the modules accept it
// (import.meta.hot, registry.reload) and restarts the program otherwise, as
// `node --watch` does.
//
// Two processes, as node --watch: this one (the supervisor) watches files
// and starts the program in a child process; the child runs it through a
// registry made with { hot: true }, reports every file it loads, and is told
// which files changed. A change the child cannot apply (nothing accepts it,
// or the entry itself changed) makes the supervisor restart it. Watching is
// by directory (fs.watch), as editors often replace a file rather than
// write into it, and debounced: a burst of events is one change.

import type { ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { createRequire, fs } from '../builtins.js';
import type { Registry } from '../registry.js';
import { hrefToPath, pathToHref } from '../resolve/file-url.js';

/** Messages between the supervisor and the program's process. */
type ToSupervisor = { type: 'files'; files: string[] } | { type: 'restart'; reason: string };
type ToProgram = { type: 'changed'; files: string[] };

/** A burst of file events within this long is one change. */
const DEBOUNCE_MS = 100;

/** The environment variable that tells `canon run` it is the watched program. */
export const WATCHED = 'CANON_WATCHED';

/**
 * The supervisor: starts `canon run <args>` (the command line without
 * --watch) in a child process and restarts it when a change needs it.
 * Never returns; SIGINT/SIGTERM end the program and the watch.
 */
export function supervise(script: string, args: string[], entry: string): Promise<never> {
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const files = new Set<string>();
  const watchers = new Map<string, import('node:fs').FSWatcher>();
  let child: ChildProcess | undefined;
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let restartReason: string | undefined;

  const say = (text: string) => process.stderr.write(`canon: ${text}\n`);
  const start = () => {
    restartReason = undefined;
    const program = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [WATCHED]: '1' },
    });
    child = program;
    program.on('message', (message: ToSupervisor) => {
      if (message.type === 'files') for (const file of message.files) watch(file);
      else if (message.type === 'restart') restart(message.reason);
    });
    program.on('exit', (code, signal) => {
      if (child === program) child = undefined;
      if (restartReason !== undefined) {
        say(`restarting ${entry} (${restartReason})`);
        start();
      } else {
        say(`${entry} ${signal ? `ended by ${signal}` : code === 0 ? 'completed' : `failed (exit code ${code})`}; waiting for file changes before restarting`);
      }
    });
  };
  const restart = (reason: string) => {
    restartReason = reason;
    if (child) child.kill('SIGTERM');
    else start();
  };
  const flush = () => {
    timer = undefined;
    const batch = [...changed];
    changed = new Set();
    if (child?.connected) child.send({ type: 'changed', files: batch } satisfies ToProgram);
    else restart(`${batch.join(', ')} changed`);
  };
  const watch = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const dir = dirname(file);
    if (watchers.has(dir)) return;
    try {
      watchers.set(dir, fs.watch(dir, (_event, name) => {
        const path = name ? `${dir}/${name}` : undefined;
        if (path === undefined || !files.has(path)) return;
        changed.add(path);
        clearTimeout(timer);
        timer = setTimeout(flush, DEBOUNCE_MS);
      }));
    } catch (error) {
      say(`cannot watch ${dir}: ${(error as Error).message}`);
    }
  };
  const stop = (signal: NodeJS.Signals) => {
    restartReason = undefined;
    for (const w of watchers.values()) w.close();
    if (child) {
      child.once('exit', () => process.exit(signal === 'SIGINT' ? 130 : 143));
      child.kill(signal);
    } else {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  start();
  return new Promise<never>(() => {});
}

/**
 * The watched program's side (`canon run` under --watch): reports the files
 * the registry loads, and applies changes hot or asks for a restart.
 * Returns the registry's onLoad hook.
 */
export function watchedProgram(registry: () => Registry, describe: (url: string) => string): (key: string) => void {
  const send = (message: ToSupervisor) => process.send?.(message);
  // The channel must not keep a finished program alive: the supervisor waits for changes instead.
  (process as { channel?: { unref(): void } }).channel?.unref();
  let pending: string[] = [];
  process.on('message', (message: ToProgram) => {
    if (message.type !== 'changed') return;
    void apply(registry(), message.files);
  });
  const apply = async (r: Registry, files: string[]) => {
    for (const file of files) {
      const key = pathToHref(file);
      for (const record of r.entries().filter((e) => e.key === key && e.canonical)) {
        const result = await r.reload(key, record.attributes);
        if (result.status === 'restart') return send({ type: 'restart', reason: `${describe(key)} changed: ${result.reason.replace(/file:\/\/\S+/g, (u) => describe(u))}` });
        if (result.status === 'failed') {
          const e = result.error as { name?: string; message?: string };
          process.stderr.write(`canon: hot update of ${describe(key)} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(result.error)}\n`);
        } else if (result.status === 'reloaded') {
          process.stderr.write(`canon: hot update: ${result.replaced.map(describe).join(', ')}\n`);
        }
      }
    }
  };
  return (key: string) => {
    if (!key.startsWith('file:')) return;
    if (pending.length === 0) {
      setImmediate(() => {
        send({ type: 'files', files: pending });
        pending = [];
      });
    }
    pending.push(hrefToPath(key));
  };
}
