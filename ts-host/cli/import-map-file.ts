// --import-map FILE for canon run, graph and importmap: the file read and
// parsed against its own URL (relative addresses resolve against it), and
// what the parser only warns about (a misspelled top-level key such as
// "imprts", entries that are ignored or block resolution) printed on stderr,
// since such a map otherwise fails silently.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fs } from '../builtins.js';
import { parseImportMap, type ImportMap } from '../resolve/import-map.js';
import { CommandError } from './usage.js';

export function loadImportMap(file: string): ImportMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read the import map ${file}: ${(error as Error).message}`);
  }
  // A byte order mark is not JSON, but UTF-8 decoding drops it, as browsers (and Node's JSON modules) do.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const map = parseImportMap(text, pathToFileURL(resolve(file)).href);
  for (const warning of map.warnings) process.stderr.write(`canon: warning: ${file}: ${warning}\n`);
  return map;
}
