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
