// Runs in whatever realm imports it: `globalThis` and `[]` are that realm's.
export const seen = globalThis.answer;
export const list = [1, 2, 3];
