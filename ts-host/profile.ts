// Where the loader's time goes, per stage, when CANON_PROFILE=1 (or
// `profile.enabled = true`): read, hash (and intern), analyze (lex), compile,
// resolve, link, evaluate. Off by default; the cost when off is one branch.

export const STAGES = ['read', 'hash', 'decode', 'analyze', 'compile', 'resolve', 'link', 'evaluate'] as const;
export type Stage = (typeof STAGES)[number];

export const profile = {
  enabled: process.env.CANON_PROFILE === '1',
  ms: Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>,
  modules: 0,
};

/** A start time when profiling, else 0. */
export function mark(): number {
  return profile.enabled ? performance.now() : 0;
}

/** Adds the time since `start` to a stage (when profiling). */
export function spent(stage: Stage, start: number): void {
  if (profile.enabled) profile.ms[stage] += performance.now() - start;
}

/** The time recorded by every stage so far (for a stage that contains others). */
export function recorded(): number {
  let sum = 0;
  for (const stage of STAGES) sum += profile.ms[stage];
  return sum;
}

/**
 * Adds the time since `start` to a stage, less what other stages recorded
 * meanwhile (`before` = recorded() at the start): evaluation runs CommonJS
 * modules, which read, resolve and compile while it runs.
 */
export function spentOwn(stage: Stage, start: number, before: number): void {
  if (profile.enabled) profile.ms[stage] += performance.now() - start - (recorded() - before);
}
