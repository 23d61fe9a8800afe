// WPT's `// META:` lines at the top of a test file (web-platform-tests
// docs, "Test features"): `script=` names helper scripts evaluated first,
// `global=` the scopes; other keys (title, timeout, variant) are kept.

export interface WptMeta {
  scripts: string[];
  globals: string[];
  timeoutLong: boolean;
}

export function readWptMeta(text: string): WptMeta {
  const meta: WptMeta = { scripts: [], globals: [], timeoutLong: false };
  for (const line of text.split('\n')) {
    const m = /^\/\/\s*META:\s*(\w+)=(.*)$/.exec(line.trim());
    if (!m) {
      if (line.trim() === '' || line.trim().startsWith('//')) continue;
      break; // META lines come first
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'script') meta.scripts.push(value.trim());
    else if (key === 'global') meta.globals.push(...value.split(',').map((s) => s.trim()));
    else if (key === 'timeout') meta.timeoutLong = value.trim() === 'long';
  }
  return meta;
}

/** WPT runs `.any.js` tests in a shell-like scope ("jsshell") where a window is not needed: canon's and Node's case. */
export function runsInShell(meta: WptMeta): boolean {
  return meta.globals.length === 0 || meta.globals.some((g) => g === 'jsshell' || g.startsWith('shadowrealm') || g === 'worker' || g === 'dedicatedworker');
}
