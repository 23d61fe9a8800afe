// even.js and odd.js import each other: a cycle, linked and evaluated once.
import { isOdd } from './odd.js';
export function isEven(n) { return n === 0 ? true : isOdd(n - 1); }
