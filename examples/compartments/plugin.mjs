import { readFileSync } from 'node:fs';
export const config = readFileSync('/config.txt', 'utf8');
export const where = import.meta.url;
