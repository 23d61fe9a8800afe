// Encoding pieces of a Wasm binary by hand (for modules canon builds itself:
// the js-string builtins helper, the benchmark's chain).

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** A name: its UTF-8 length, then its bytes. */
export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

/** A section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

/** A vector section: the entry count, then the entries. */
export function vectorSection(id: number, entries: number[][]): number[] {
  return section(id, [...leb(entries.length), ...entries.flat()]);
}
