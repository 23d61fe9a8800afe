// What canon's Wasm core (build/release.wasm) imports from "env": the linear
// memory it allocates in (the importer owns it, so it picks the maximum) and
// AssemblyScript's abort(message, file, line, column).
export const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });

/** An AssemblyScript string: UTF-16 code units, its byte length in the 4 bytes before it. */
function readString(ptr) {
  if (!ptr) return '?';
  const bytes = new Uint32Array(memory.buffer, (ptr >>> 0) - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr >>> 0, bytes >>> 1));
}

export function abort(message, file, line, column) {
  throw new Error(`canon core aborted: ${readString(message)} (${readString(file)}:${line}:${column})`);
}
