// A minimal reader of a Wasm binary's import, global and export sections:
// what WebAssembly.Module.imports()/exports() do not tell on every Node
// (without the type-reflection proposal): the value type and mutability of
// each imported and exported global. The ESM integration needs them to turn a
// plain JS value into a global of the declared type, to refuse a plain value
// for a mutable or v128 global import, and to know which exports are live
// bindings.
//
// It reads only what it needs and gives up (returns undefined for the part it
// could not read) on anything it does not know, e.g. a constant expression
// with an instruction from a future proposal; callers then fall back to safe
// defaults (a global of unknown mutability is refreshed as if mutable).

/** A global's value type, as far as the ESM integration cares. */
export type GlobalValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'other';

export interface GlobalType {
  value: GlobalValueType;
  mutable: boolean;
}

export interface BinaryImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  /** For global imports. */
  global?: GlobalType;
}

export interface BinaryExport {
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  index: number;
  /** For global exports, when the global section could be read. */
  global?: GlobalType;
}

export interface BinaryInterface {
  imports: BinaryImport[];
  exports: BinaryExport[];
}

const KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

class Unreadable extends Error {}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array, readonly end = bytes.length) {}

  byte(): number {
    if (this.pos >= this.end) throw new Unreadable('unexpected end');
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 (up to 32 bits are kept; longer ones are skipped correctly). */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift < 32) result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** Skips a signed or unsigned LEB128 of any length. */
  skipLEB(): void {
    while (this.byte() & 0x80);
  }

  skip(n: number): void {
    if (this.pos + n > this.end) throw new Unreadable('unexpected end');
    this.pos += n;
  }

  name(): string {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    return decoder.decode(this.bytes.subarray(start, start + length));
  }

  /** A heap type (s33): an abstract type byte or a type index. */
  heapType(): 'func' | 'extern' | 'other' {
    const first = this.bytes[this.pos];
    if (first === 0x70) return this.pos++, 'func';
    if (first === 0x6f) return this.pos++, 'extern';
    this.skipLEB();
    return 'other';
  }

  valueType(): GlobalValueType {
    const b = this.byte();
    switch (b) {
      case 0x7f: return 'i32';
      case 0x7e: return 'i64';
      case 0x7d: return 'f32';
      case 0x7c: return 'f64';
      case 0x7b: return 'v128';
      case 0x70: return 'funcref';
      case 0x6f: return 'externref';
      case 0x63: {
        // (ref null ht): funcref and externref are shorthands of two of them.
        const heap = this.heapType();
        return heap === 'func' ? 'funcref' : heap === 'extern' ? 'externref' : 'other';
      }
      case 0x64:
        // (ref ht): non-nullable, which a JS-created global cannot have.
        this.heapType();
        return 'other';
      default:
        // The other abstract reference shorthands (anyref, eqref, exnref...).
        if (b >= 0x69 && b <= 0x74) return 'other';
        throw new Unreadable(`unknown value type 0x${b.toString(16)}`);
    }
  }

  limits(): void {
    const flags = this.byte();
    this.skipLEB();
    if (flags & 0x01) this.skipLEB();
    // custom-page-sizes: a page size exponent follows.
    if (flags & 0x08) this.skipLEB();
  }

  /** Skips a constant expression up to and including its `end`. */
  constantExpression(): void {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x0b: return; // end
        case 0x41: case 0x42: this.skipLEB(); break; // i32.const, i64.const
        case 0x43: this.skip(4); break; // f32.const
        case 0x44: this.skip(8); break; // f64.const
        case 0x23: case 0xd2: this.skipLEB(); break; // global.get, ref.func
        case 0xd0: this.heapType(); break; // ref.null
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended-const arithmetic
        case 0xfd: {
          if (this.u32() !== 12) throw new Unreadable('SIMD instruction in a constant expression');
          this.skip(16); // v128.const
          break;
        }
        case 0xfb: {
          const sub = this.u32();
          if (sub === 0 || sub === 1 || sub === 6 || sub === 7) this.skipLEB(); // struct.new(_default), array.new(_default)
          else if (sub === 8) (this.skipLEB(), this.skipLEB()); // array.new_fixed
          else if (sub !== 26 && sub !== 27 && sub !== 28) throw new Unreadable('GC instruction in a constant expression');
          break;
        }
        default:
          throw new Unreadable(`instruction 0x${op.toString(16)} in a constant expression`);
      }
    }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the imports (with global types) and exports (with global types where
 * the global section could be read). Undefined if even the import or export
 * section cannot be read, which does not happen for a module that compiled
 * unless it uses an encoding this reader does not know.
 */
export function readBinaryInterface(bytes: Uint8Array): BinaryInterface | undefined {
  const r = new Reader(bytes);
  const imports: BinaryImport[] = [];
  const exports: BinaryExport[] = [];
  /** Types of every global, imported ones first; undefined once one could not be read. */
  let globals: GlobalType[] | undefined = [];
  try {
    r.skip(8); // magic and version
    while (r.pos < r.end) {
      const id = r.byte();
      const size = r.u32();
      const end = r.pos + size;
      if (id === 2) {
        const s = new Reader(bytes, end);
        s.pos = r.pos;
        for (let n = s.u32(); n > 0; n--) {
          const module = s.name();
          const name = s.name();
          const kind = s.byte();
          if (kind === 0x00) s.skipLEB();
          else if (kind === 0x01) (s.valueType(), s.limits());
          else if (kind === 0x02) s.limits();
          else if (kind === 0x03) {
            const value = s.valueType();
            const global = { value, mutable: s.byte() === 1 };
            globals?.push(global);
            imports.push({ module, name, kind: 'global', global });
            continue;
          } else if (kind === 0x04) (s.byte(), s.skipLEB());
          else throw new Unreadable(`unknown import kind ${kind}`);
          imports.push({ module, name, kind: KINDS[kind]! });
        }
      } else if (id === 6 && globals) {
        const s = new Reader(bytes, end);
        s.pos = r.pos;
        try {
          for (let n = s.u32(); n > 0; n--) {
            const value = s.valueType();
            globals.push({ value, mutable: s.byte() === 1 });
            s.constantExpression();
          }
        } catch (error) {
          if (!(error instanceof Unreadable)) throw error;
          globals = undefined;
        }
      } else if (id === 7) {
        const s = new Reader(bytes, end);
        s.pos = r.pos;
        for (let n = s.u32(); n > 0; n--) {
          const name = s.name();
          const kind = s.byte();
          const index = s.u32();
          if (kind > 4) throw new Unreadable(`unknown export kind ${kind}`);
          const entry: BinaryExport = { name, kind: KINDS[kind]!, index };
          if (kind === 3 && globals?.[index]) entry.global = globals[index];
          exports.push(entry);
        }
      }
      r.pos = end;
    }
  } catch (error) {
    if (error instanceof Unreadable || error instanceof TypeError) return undefined;
    throw error;
  }
  return { imports, exports };
}
