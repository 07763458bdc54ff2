/** What one tab tells the others about a shared profile. */
export type TabMessage =
  | { type: 'changed'; forgotten?: string[] }
  | { type: 'opted-out' }
  | { type: 'opted-in' }

export interface TabSync {
  post(message: TabMessage): void
  close(): void
}

/**
 * A BroadcastChannel per profile name. Where it is missing, tabs still converge through IndexedDB
 * on their next load, and an opt-out still reaches them through the localStorage `storage` event.
 */
export function createTabSync(name: string, receive: (message: TabMessage) => void): TabSync {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, close() {} }
  const channel = new BroadcastChannel(`palate:${name}`)
  // In Node (server rendering, replays) an open channel would keep the process alive forever.
  ;(channel as { unref?: () => void }).unref?.()
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data
    if (message && typeof message === 'object' && typeof message.type === 'string') receive(message)
  }
  return {
    post(message) {
      try {
        channel.postMessage(message)
      } catch {
        // A closed channel (the page is going away) has no one left to tell.
      }
    },
    close() {
      channel.close()
    },
  }
}
