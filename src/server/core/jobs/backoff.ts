/** How long a failed job waits before its next attempt. Pure: the random source is passed in. */
export interface BackoffPolicy {
  /** The wait after the first failed attempt. */
  baseMs: number;
  /** Each further failure multiplies the wait by this. */
  factor: number;
  /** No wait is longer than this. */
  maxMs: number;
  /** Up to this fraction is added at random, so jobs that failed together do not retry together. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, factor: 2, maxMs: 60 * 60_000, jitter: 0.5 };

/**
 * The wait after `attempts` failed attempts (1 = the first failure): base · factor^(attempts−1), plus up to
 * `jitter` of that at random, capped at maxMs. The jitter only adds, so with factor ≥ 1 + jitter a later
 * wait is never shorter than an earlier one.
 */
export function backoffMs(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempts));
  // Cap the exponent first: factor^(n−1) overflows to Infinity long before attempts reach any sane limit.
  const nominal = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.min(n - 1, 64));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(Math.min(policy.maxMs, nominal * (1 + policy.jitter * r)));
}
