import { isEven } from './even.js';
export function isOdd(n) { return n === 0 ? false : isEven(n - 1); }
