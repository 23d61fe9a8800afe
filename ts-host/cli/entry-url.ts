// A CLI argument naming a module: a URL if it has a scheme, else a path.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function entryURL(argument: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(argument) && !/^[a-z]:[\\/]/i.test(argument)) return new URL(argument).href;
  return pathToFileURL(resolve(argument)).href;
}
