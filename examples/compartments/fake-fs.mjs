// What the sandboxed plugin gets for node:fs: a read-only view of one in-memory file.
const files = new Map([['/config.txt', 'mode=sandboxed']]);
export function readFileSync(path) {
  if (!files.has(path)) throw Object.assign(new Error(`ENOENT: no such file in the sandbox, open '${path}'`), { code: 'ENOENT' });
  return files.get(path);
}
export default { readFileSync };
