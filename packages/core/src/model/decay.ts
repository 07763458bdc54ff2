// How a mass fades: the units of time the model counts in, and the one decay factor every horizon,
// the visit and the repair of half-lives use.

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/**
 * The half-life of a horizon that never decays: lifetime counts. The largest finite number rather
 * than `Infinity`, so that an export stays exact through JSON.
 */
export const FOREVER = Number.MAX_VALUE

/** 2^(−Δt/h), with no growth for a clock that went backwards. */
export function decayFactor(dt: number, halfLife: number): number {
  if (dt <= 0 || halfLife >= FOREVER) return 1
  return 2 ** (-dt / halfLife)
}
