// Timing and formatting helpers shared by the Node and Chromium halves of the benchmark (bundled
// into the bench page too, where there is no `process` and no `setImmediate`).

const env = globalThis.process?.env ?? {}

/** Measured runs per figure (after warm-up); `BENCH_RUNS` and `BENCH_WARMUP` override. */
export const RUNS = Number(env.BENCH_RUNS) || 7
export const WARMUP = Number(env.BENCH_WARMUP) || 2

/** Lets the event loop run (timers, a page's tasks) between two measured runs. */
export const yieldToLoop = () =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)))

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Runs `sample()` `warmup` times unmeasured, then `runs` times, yielding to the event loop between
 * runs (so timers such as Palate's batched writes run outside the measured part). Resolves to
 * `{ median, samples }` of what `sample()` returned.
 */
export async function medianOf(sample, { runs = RUNS, warmup = WARMUP } = {}) {
  const samples = []
  for (let i = 0; i < warmup + runs; i++) {
    const value = await sample()
    if (i >= warmup) samples.push(value)
    await yieldToLoop()
  }
  return { median: median(samples), samples }
}

/** A duration given in milliseconds, in the unit that reads best. */
export function formatMs(ms) {
  if (ms == null || !Number.isFinite(ms)) return 'n/a'
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`
  if (ms < 1000) return `${ms.toPrecision(3)} ms`
  return `${(ms / 1000).toPrecision(3)} s`
}

/** 1 KB = 1024 bytes throughout (and in scripts/size.mjs). */
export function formatBytes(bytes) {
  if (bytes == null || !Number.isFinite(bytes)) return 'n/a'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

/** `ours / theirs`, as a plain number: below 1, Palate takes less time. */
export function formatRatio(ours, theirs) {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs <= 0) return 'n/a'
  const ratio = ours / theirs
  return ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toPrecision(2)
}
