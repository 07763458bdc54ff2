// The parts loaded with import() on first use, and what happens when one fails to load: the
// failure reaches onError, the call that needed the part rejects, and tracking and ranking go on.
import type { Engine } from './engine.js'

/** Where each lazy part comes from. A test replaces an entry to make a download fail. */
export const lazyParts = {
  /** export() and import(), with the export format. */
  exchange: () => import('./transfer.js'),
  forget: () => import('./forget.js'),
  /** The memory store: asked for, or the fallback when IndexedDB cannot be opened. */
  memory: () => import('../storage/memoryStore.js'),
  /** What a tab goes on with when its IndexedDB connection is lost mid-visit. */
  recovery: () => import('./recovery.js'),
  /** What fed each tag and brand, while a category is muted. */
  feeding: () => import('./feeding.js'),
}

/** Loads a lazy part (the browser caches it after the first time), reporting a failed download. */
export async function loadPart<K extends keyof typeof lazyParts>(e: Pick<Engine, 'report'>, name: K): Promise<Awaited<ReturnType<(typeof lazyParts)[K]>>> {
  try {
    return (await lazyParts[name]()) as Awaited<ReturnType<(typeof lazyParts)[K]>>
  } catch (error) {
    e.report(error)
    throw error
  }
}
