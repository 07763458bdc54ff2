// Tab sync: what one tab tells the other tabs of the same profile (it wrote, it forgot keys, the
// shopper opted out or in), and what a tab does on hearing it. The only module that posts or
// receives.
import type { Store } from '../storage/store.js'

/** What one tab tells the others about a shared profile. */
export type TabMessage =
  | { type: 'changed'; forgotten?: string[] }
  | { type: 'opted-out' }
  | { type: 'opted-in' }

/** What a tab does on hearing another. */
export interface TabHandlers {
  /** Consent denied elsewhere: this tab drops everything too. */
  optedOut(): void
  /** Another tab's shopper said yes (after an opt-out, or to a pending consent banner). */
  optedIn(): void
  /** Another tab wrote; `forgotten` keys must not come back from this tab's unwritten events. */
  changed(forgotten: readonly string[]): void
}

export interface Announcer {
  /** `target` was written: other tabs read it back. Only an IndexedDB store is shared with them. */
  changed(target: Store, forgotten?: string[]): void
  optedOut(): void
  optedIn(): void
  close(): void
}

/**
 * A BroadcastChannel per profile name. Where it is missing, tabs still converge through IndexedDB
 * on their next load, and an opt-out still reaches them through the localStorage `storage` event.
 */
export function createTabSync(name: string, handlers: TabHandlers, isClosed: () => boolean): Announcer {
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`palate:${name}`)
  if (channel) {
    // In Node (server rendering, replays) an open channel would keep the process alive forever.
    ;(channel as { unref?: () => void }).unref?.()
    channel.onmessage = (event: MessageEvent<TabMessage>) => {
      const message = event.data
      if (!message || typeof message !== 'object' || isClosed()) return
      if (message.type === 'opted-out') handlers.optedOut()
      else if (message.type === 'opted-in') handlers.optedIn()
      else if (message.type === 'changed') handlers.changed(Array.isArray(message.forgotten) ? message.forgotten : [])
    }
  }
  function post(message: TabMessage): void {
    try {
      channel?.postMessage(message)
    } catch {
      // A closed channel (the page is going away) has no one left to tell.
    }
  }
  return {
    changed(target, forgotten) {
      if (target.kind === 'indexeddb') post(forgotten ? { type: 'changed', forgotten } : { type: 'changed' })
    },
    optedOut: () => post({ type: 'opted-out' }),
    optedIn: () => post({ type: 'opted-in' }),
    close() {
      channel?.close()
    },
  }
}
