// The running Node's version, for the features canon follows it on (import.meta.dirname/main, the
// 'module.exports' export name of CommonJS modules, V8 code caches by default).

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];

/** Whether the running Node is `wantMajor.wantMinor` or newer. */
export function nodeAtLeast(wantMajor: number, wantMinor = 0): boolean {
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
