// file: URLs and paths, both ways, without URL parsing in the common case:
// a path of plain characters is its URL's path verbatim. Module loading
// converts once or twice per module, and Node's converters parse a URL each
// time (a measurable part of loading a CommonJS package graph).

import { fileURLToPath, pathToFileURL } from 'node:url';

/** Characters a file: URL's path keeps as they are (what URL serialization leaves unescaped, minus anything ambiguous). */
const PLAIN_PATH = /^\/[A-Za-z0-9_\-.~/@+,=]*$/;

/** The file: URL (href) of an absolute path. */
export function pathToHref(path: string): string {
  return PLAIN_PATH.test(path) && !path.includes('/./') && !path.includes('/../') && !path.includes('//') ? 'file://' + path : pathToFileURL(path).href;
}

/** A module key as a file name: the path of a file: URL, any other key as it is (a CommonJS module's __filename). */
export function filenameOf(key: string): string {
  return key.startsWith('file:') ? hrefToPath(key) : key;
}

/** The path of a file: URL; plain URLs (no percent-escapes, query or fragment) need no URL parsing. */
export function hrefToPath(url: string): string {
  return url.startsWith('file:///') && !url.includes('%') && !url.includes('?') && !url.includes('#') ? url.slice(7) : fileURLToPath(url);
}
