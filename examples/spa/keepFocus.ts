// Where keyboard focus goes when a row of a preferences page goes away (a forget, a mute): shared
// by the React and Vue stores, whose pages render their rows as `li[data-key]` inside `.prefs`.
// The script tag's <palate-preferences> does the same inside its shadow root.

/**
 * Notes where focus is before an action that may remove its row, and returns what puts it back
 * once the page has re-rendered: on the same button of the row that took its place, else on the
 * row after or before it, else on `fallback` (the list's heading). A focus the render left alone
 * is left alone.
 */
export function keepFocus(root: ParentNode, fallback: () => HTMLElement | null): () => void {
  const rows = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('.prefs li[data-key]')].filter((row) => row.querySelector('button'))
  const active = document.activeElement
  const row = active?.closest<HTMLElement>('li[data-key]')
  if (!row) return () => undefined
  const before = rows()
  const at = before.indexOf(row)
  const button = [...row.querySelectorAll(':scope button')].indexOf(active as HTMLButtonElement)
  const move = (): void => {
    // (The same key may still be there, as a muted row: the row after it is where the list went on.)
    const next = rows().filter((r) => r.dataset.key !== row.dataset.key)
    const target = next[Math.min(at, next.length - 1)] ?? null
    const buttons = target ? [...target.querySelectorAll<HTMLElement>(':scope button')] : []
    ;(buttons[button] ?? buttons[0] ?? fallback())?.focus()
  }
  // The page re-renders when the profile tells it, which may be a few frames after the action
  // resolved: look for a while, and only move focus the render took away.
  return () => {
    let frames = 30
    const check = (): void => {
      if (document.activeElement !== active || !active!.isConnected) {
        if (!active!.isConnected && (document.activeElement === document.body || document.activeElement === null)) move()
      } else if (--frames > 0) requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  }
}
