// The `[palate]` errors thrown at a caller who misused the API: each names where, what was
// expected, and the bad value (shortened, so a 10 MB string never reaches the console).

/** Shows a bad value in an error message without dumping a 10 MB string into the console. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value)
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  return typeof value === 'object' ? 'an object' : typeof value
}

/** Throws the TypeError `[palate] where: message`. */
export function fail(where: string, message: string): never {
  throw new TypeError(`[palate] ${where}: ${message}`)
}

/** Throws the TypeError for a bad argument: where, what was expected, and the value given. */
export function invalid(where: string, expected: string, value: unknown): never {
  fail(where, `${expected}, got ${describe(value)}`)
}

/** Checks an optional `limit` option: an integer >= 0. */
export function checkLimit(where: string, limit: unknown): void {
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 0)) invalid(where, 'limit must be an integer >= 0', limit)
}

/** Checks an options argument: an object. */
export function checkOptions(where: string, opts: unknown): void {
  if (opts === null || typeof opts !== 'object') invalid(where, 'options must be an object', opts)
}
