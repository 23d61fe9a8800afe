// A module's type is a fact established after loading, not a guess made from
// the URL before it: the import attribute, what the URL states (a file's
// extension and package "type", a data: URL's media type, another URL's
// extension), the load hook's declared format and the bytes are checked
// together. A `type: 'json'` request gets JSON or an ImportAttributeError,
// never code; a hook's format must be one canon knows; the Wasm magic makes
// Wasm only where Wasm was asked for or nothing else was stated.

import { ImportAttributeError, ModuleNotFoundError, UnknownModuleFormatError, UnsupportedModuleError, shorten, unsupportedAttributeKey, type ErrorSite } from '../errors.js';

/** Linux's PATH_MAX: no longer path can be opened. */
const PATH_MAX = 4096;
import type { PackageTypes } from '../resolve/package-type.js';
import { hrefToPath } from '../resolve/file-url.js';
import { NO_ATTRIBUTES, type Attributes } from '../sources/attributes.js';
import type { ModuleKind } from './entry.js';

/** A kind, or 'detect': CommonJS unless the text has module syntax (Node's detection for .js no "type" claims). */
export type LoadKind = ModuleKind | 'detect';

/** What the URL says about its module: a kind, and whether the URL stated it or it is only the default. */
export interface URLType {
  kind: LoadKind;
  /** False when nothing in the URL names a type (an extensionless file, `virtual:/lib`): then the bytes may decide. */
  stated: boolean;
}

/** The formats a load hook may declare, and the kind each gives. */
const HOOK_FORMATS = new Map<string, ModuleKind>([
  ['js', 'js'], ['module', 'js'], ['commonjs', 'cjs'], ['json', 'json'], ['wasm', 'wasm'], ['builtin', 'builtin'],
]);

/** A data: URL's media type (lower case, without parameters). */
export function dataMediaType(url: string): string {
  const comma = url.indexOf(',');
  return url.slice(5, comma < 0 ? url.length : comma).split(';')[0]!.trim().toLowerCase();
}

/** The kind a data: URL's media type names, as Node's loader knows them. */
function dataKind(url: string, site: ErrorSite): ModuleKind {
  const mime = dataMediaType(url);
  if (mime === 'application/json') return 'json';
  if (mime === 'text/javascript' || mime === 'application/javascript') return 'js';
  if (mime === 'application/wasm') return 'wasm';
  throw new UnknownModuleFormatError(`Unknown module format: ${mime} for URL ${site.url ?? url}`, site);
}

/**
 * What a URL's module is before it is read: for a file: URL, Node's rules
 * (extension, then the package.json "type", resolve/package-type.ts); for
 * data:, its media type; otherwise by extension, JavaScript by default.
 */
export function typeOfURL(url: string, formats: PackageTypes | undefined, site: ErrorSite): URLType {
  if (url.startsWith('node:')) return { kind: 'builtin', stated: true };
  if (url.startsWith('data:')) return { kind: dataKind(url, site), stated: true };
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
  if (formats && url.startsWith('file:')) {
    const file = hrefToPath(path);
    // Longer than any path the system opens: not found, before a package.json lookup per directory of it.
    if (file.length > PATH_MAX) {
      throw new ModuleNotFoundError(`Cannot find module '${shorten(file)}' (ENAMETOOLONG)`, site);
    }
    switch (formats.formatOf(file)) {
      case 'module': return { kind: 'js', stated: extension !== '' };
      case 'commonjs': return { kind: 'cjs', stated: true };
      case 'detect': return { kind: 'detect', stated: true };
      case 'json': return { kind: 'json', stated: true };
      case 'wasm': return { kind: 'wasm', stated: true };
      case 'addon': throw new UnsupportedModuleError('A native addon (.node) can only be loaded by require()', site);
    }
  }
  switch (extension) {
    case '.json': return { kind: 'json', stated: true };
    case '.wasm': return { kind: 'wasm', stated: true };
    case '.js': case '.mjs': case '.cjs': return { kind: 'js', stated: true };
    default: return { kind: 'js', stated: false };
  }
}

/** The kind a load hook's `format` declares; an unknown format is an error, never a guess. */
export function declaredKind(format: unknown, site: ErrorSite): ModuleKind {
  const kind = typeof format === 'string' ? HOOK_FORMATS.get(format) : undefined;
  if (kind === undefined) {
    throw new UnknownModuleFormatError(`Unknown module format: ${String(format)} (declared by the load hook for ${site.url})`, site);
  }
  return kind;
}

/** Whether bytes begin with the Wasm magic `\0asm`. */
export function hasWasmMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/**
 * The module's kind from everything known after loading: a declared format
 * wins over the URL (a hook may load `.ts` as `module`); where neither the
 * hook nor the URL stated a kind, a JSON request is read as JSON and the
 * Wasm magic makes Wasm. The result is then checked against the attributes.
 */
export function establishKind(url: URLType, declared: ModuleKind | undefined, attributes: Attributes, magic: () => boolean, site: ErrorSite): LoadKind {
  let kind: LoadKind = declared ?? url.kind;
  if (declared === undefined && !url.stated) {
    if (attributes.type === 'json') kind = 'json';
    else if (attributes.type === undefined && magic()) kind = 'wasm';
  }
  checkAttributes(kind, attributes, site);
  return kind;
}

/** The module kinds an import attribute asks for whatever the file is: text and bytes (loader/parse-text.ts, parse-bytes.ts). */
export function requestedKind(attributes: Attributes): 'text' | 'bytes' | undefined {
  const type = attributes.type;
  return type === 'text' || type === 'bytes' ? type : undefined;
}

/**
 * Node's attribute rules: only `type` (another key is ECMA-262's SyntaxError);
 * JSON needs type "json"; JS and Wasm take none; "text" and "bytes" (the
 * import-text and import-bytes proposals) fit any module.
 */
export function checkAttributes(kind: LoadKind, attributes: Attributes, site: ErrorSite): void {
  if (attributes === NO_ATTRIBUTES && kind !== 'json') return;
  for (const key of Object.keys(attributes)) {
    if (key !== 'type') {
      throw unsupportedAttributeKey(key, attributes[key]!, site);
    }
  }
  if (requestedKind(attributes)) return;
  const type = attributes.type;
  if (kind === 'builtin') return;
  if (kind === 'json') {
    if (type === 'json') return;
    if (type === undefined) {
      throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_MISSING', `Module "${shorten(site.url ?? '')}" needs an import attribute of "type: json"`, site);
    }
  } else if (type === undefined) {
    return;
  }
  if (type !== 'json') {
    throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "type" with value "${type}" is not supported${site.url ? ` in ${shorten(site.url)}` : ''}`, site);
  }
  throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${shorten(site.url ?? '')}" is not of type "${type}"`, site);
}
