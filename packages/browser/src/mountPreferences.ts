// What the `<palate-preferences>` panel shows and does, inside its shadow root: the elements
// built once (title, groups of interests, muted list, the switches and buttons, the live region),
// the rows kept in line with the snapshot, the shopper's actions, and where focus goes when the
// control in use moves or goes away. The element itself is in definePreferences.ts.
import { labelOf, type Palate, type Snapshot } from '@palate/core'
import { groupInterests, type InterestRow } from './groupInterests.js'

/** What every part of one panel needs: its document, its instance, and how an action is run. */
interface Panel {
  doc: Document
  palate: Palate
  /** Runs a shopper's action and says what happened in the live region. */
  act(done: string, task: () => Promise<unknown>): Promise<void>
}

/** The elements built once; each render shows, hides and fills them. */
interface Frame {
  panel: HTMLElement
  title: HTMLElement
  empty: HTMLElement
  /** One group per dimension, in the order groupInterests gives them; hidden while empty. */
  groups: Map<string, { box: HTMLElement; list: HTMLUListElement }>
  mutedTitle: HTMLElement
  mutedList: HTMLUListElement
  surprise: HTMLButtonElement
  optOut: HTMLButtonElement
  optIn: HTMLButtonElement
  /** What an opted-out panel hides: everything but the way back in. */
  controls: HTMLElement[]
  status: HTMLElement
}

/** Builds the panel in `root` and returns the function that brings it up to date with the instance. */
export function mountPreferences(root: ShadowRoot, palate: Palate): () => void {
  let shown: Snapshot | null = null
  /** Actions of this panel under way: the consent changes they make are theirs to announce. */
  let acting = 0
  const p: Panel = {
    doc: root.ownerDocument,
    palate,
    async act(done, task) {
      acting++
      try {
        await task()
        frame.status.textContent = done
      } catch (error) {
        frame.status.textContent = 'Something went wrong. Please try again.'
        console.warn('[palate]', error)
      }
      try {
        render()
      } finally {
        acting--
      }
    },
  }
  const frame = buildFrame(p)
  root.append(frame.panel)

  function render(): void {
    const snapshot = palate.getSnapshot()
    if (snapshot === shown) return
    // Consent changed elsewhere (another tab opted in or out): what this panel last said no longer holds.
    if (shown && shown.consent !== snapshot.consent && !acting) frame.status.textContent = ''
    shown = snapshot
    const refocus = keepFocus(root, frame)
    fill(p, frame, snapshot)
    refocus(snapshot.consent === 'denied')
  }

  render()
  return render
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, part: string, text = ''): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag)
  node.setAttribute('part', part)
  node.textContent = text
  return node
}

function button(doc: Document, part: string, text: string, onClick: () => unknown, label?: string): HTMLButtonElement {
  const node = el(doc, 'button', part, text)
  node.type = 'button'
  if (label) node.setAttribute('aria-label', label)
  node.addEventListener('click', onClick)
  return node
}

/** The panel's elements, in their order, with the shopper's controls wired to the instance. */
function buildFrame(p: Panel): Frame {
  const { doc, palate, act } = p
  const panel = el(doc, 'section', 'panel')
  panel.setAttribute('aria-labelledby', 'palate-title')
  const title = el(doc, 'h2', 'title', 'Your interests')
  title.id = 'palate-title'
  // Focus lands here when the control the shopper used goes away (the last interest forgotten).
  title.tabIndex = -1
  const empty = el(doc, 'p', 'empty')
  const groups = buildGroups(doc)
  const mutedTitle = el(doc, 'h3', 'muted-title', 'Muted')
  mutedTitle.id = 'palate-muted'
  const mutedList = el(doc, 'ul', 'muted')
  mutedList.setAttribute('aria-labelledby', 'palate-muted')
  const status = el(doc, 'p', 'status')
  status.setAttribute('role', 'status')
  status.setAttribute('aria-live', 'polite')

  const surprise = button(doc, 'switch', 'Surprise me', () => {
    const on = !palate.getSnapshot().surprise
    void act(`Surprise me ${on ? 'on' : 'off'}`, () => palate.setSurprise(on))
  })
  surprise.setAttribute('role', 'switch')
  surprise.setAttribute('aria-describedby', 'palate-hint')
  const hint = el(doc, 'p', 'hint', 'Mix in things outside your usual.')
  hint.id = 'palate-hint'

  const optOut = button(doc, 'opt-out-button', 'Turn off and delete my data', () =>
    act('Personalization is off and your data was deleted', () => palate.optOut()),
  )
  const optIn = button(doc, 'opt-in-button', 'Turn personalization on', () => act('Personalization is on', () => palate.optIn()))
  const download = button(doc, 'download-button', 'Download my data', () => act('Your data was downloaded', () => downloadProfile(doc, palate)))

  panel.append(title, empty, ...[...groups.values()].map((g) => g.box), mutedTitle, mutedList, surprise, hint, optOut, optIn, download, status)
  const controls = [mutedTitle, mutedList, surprise, hint, optOut, download]
  return { panel, title, empty, groups, mutedTitle, mutedList, surprise, optOut, optIn, controls, status }
}

/** One section per dimension, each a heading and a list the heading names. */
function buildGroups(doc: Document): Frame['groups'] {
  const groups: Frame['groups'] = new Map()
  for (const dimension of ['category', 'brand', 'tag'] as const) {
    const box = el(doc, 'section', `group group-${dimension}`)
    const heading = el(doc, 'h3', 'group-title')
    heading.id = `palate-group-${dimension}`
    box.setAttribute('aria-labelledby', heading.id)
    const list = el(doc, 'ul', 'interests')
    list.setAttribute('aria-labelledby', heading.id)
    box.append(heading, list)
    groups.set(dimension, { box, list })
  }
  return groups
}

/** "Download my data": the export as a JSON file. */
async function downloadProfile(doc: Document, palate: Palate): Promise<void> {
  const data = await palate.export()
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
  const link = doc.createElement('a')
  link.href = url
  link.download = 'palate-profile.json'
  link.click()
  // The download has started from the URL by now; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Fills the frame from a snapshot: the groups' rows, the muted list, the switch, what is hidden opted out. */
function fill(p: Panel, f: Frame, snapshot: Snapshot): void {
  const off = snapshot.consent === 'denied'
  const listed = off ? [] : groupInterests(p.palate)
  f.empty.textContent = off ? 'Personalization is off. Nothing is recorded.' : 'Nothing yet. Browse a little and your interests show up here.'
  f.empty.hidden = listed.length > 0
  for (const [dimension, { box, list }] of f.groups) {
    const group = listed.find((g) => g.dimension === dimension)
    box.hidden = !group
    box.firstChild!.textContent = group?.title ?? ''
    sync(list, group?.rows ?? [], (i) => i.key, (i) => interestRow(p, i), (row, i) => updateRow(p, row, i))
  }
  for (const node of f.controls) node.hidden = off
  f.mutedTitle.hidden = f.mutedList.hidden = off || !snapshot.muted.length
  sync(f.mutedList, off ? [] : snapshot.muted, (key) => key, (key) => mutedRow(p, key))

  f.surprise.setAttribute('aria-checked', String(snapshot.surprise))
  f.optIn.hidden = !off
}

function interestRow(p: Panel, { key, label }: InterestRow, part = 'interest'): HTMLLIElement {
  const { doc, palate, act } = p
  const row = el(doc, 'li', part)
  // The percent is the text; the bar only repeats it for the eye.
  const bar = el(doc, 'meter', 'bar')
  bar.setAttribute('aria-hidden', 'true')
  const actions = el(doc, 'span', 'actions')
  actions.append(
    button(doc, 'forget-button', 'Forget', () => act(`Forgot ${label}`, () => palate.forget(key)), `Forget ${label}`),
    button(doc, 'mute-button', 'Mute', () => act(`Muted ${label}`, () => palate.mute(key)), `Mute ${label}`),
  )
  const sections = el(doc, 'ul', 'sections')
  sections.setAttribute('aria-label', `Within ${label}`)
  row.append(el(doc, 'span', 'label', label), bar, el(doc, 'span', 'share'), el(doc, 'span', 'trend'), actions, sections)
  return row
}

function updateRow(p: Panel, row: Element, interest: InterestRow): void {
  const [, bar, share, trend, , sections] = row.children as unknown as HTMLElement[]
  ;(bar as HTMLMeterElement).value = interest.relative
  share!.textContent = `${interest.percent}%`
  trend!.textContent = interest.trend
  trend!.setAttribute('part', `trend trend-${interest.trend}`)
  // "steady" on every row says nothing: only a change is shown ("new", "rising", "fading").
  // A steady trend keeps its place (the bars stay aligned) but is neither shown nor read out.
  sections!.hidden = !interest.sections.length
  sync(sections!, interest.sections, (i) => i.key, (i) => interestRow(p, i, 'section interest'), (r, i) => updateRow(p, r, i))
}

function mutedRow({ doc, palate, act }: Panel, key: string): HTMLLIElement {
  const label = labelOf(key)
  const row = el(doc, 'li', 'muted-interest')
  row.append(
    el(doc, 'span', 'label', label),
    button(doc, 'unmute-button', 'Unmute', () => act(`Unmuted ${label}`, () => palate.unmute(key)), `Unmute ${label}`),
  )
  return row
}

/**
 * Notes where focus is before a render, and returns what puts it back where the shopper expects it
 * after the render moved or removed what had it.
 */
function keepFocus(root: ShadowRoot, f: Frame): (off: boolean) => void {
  const active = root.activeElement
  const activeRow = active?.closest('li')
  const activeList = activeRow?.parentElement
  const activeIndex = activeList ? [...activeList.children].indexOf(activeRow!) : -1
  const activeButton = activeRow ? [...activeRow.querySelectorAll('button')].indexOf(active as HTMLButtonElement) : -1
  // Every row with a control, in reading order: where to go when the row's whole list went too.
  const rowsBefore = activeRow ? [...root.querySelectorAll('li')].filter((row) => row.querySelector('button')) : []
  const at = activeRow ? rowsBefore.indexOf(activeRow) : -1
  return (off) => {
    if (active && !active.isConnected) {
      // The row the shopper acted on is gone: go on to the same button of the row that took its
      // place; when its list went with it (the last interest of a group), to the row after it, or
      // else before it. The title only when no row is left.
      const rows = activeList?.isConnected ? activeList.children : undefined
      const row =
        rows?.[Math.min(activeIndex, rows.length - 1)] ??
        rowsBefore.slice(at + 1).find((r) => r.isConnected) ??
        rowsBefore.slice(0, Math.max(at, 0)).reverse().find((r) => r.isConnected)
      const buttons = row?.querySelectorAll(':scope > [part~=actions] > button, :scope > button')
      ;((buttons?.[activeButton] ?? buttons?.[0]) as HTMLElement | undefined ?? f.title).focus()
    } else if (active === f.optOut || active === f.optIn) {
      // One replaces the other: keep the keyboard where it was.
      ;(off ? f.optIn : f.optOut).focus()
    } else if (active instanceof HTMLElement && root.activeElement !== active) {
      // A reordered row lost focus in the move, or its control was hidden.
      if (active.isConnected && !active.closest('[hidden]')) active.focus()
      else f.title.focus()
    }
  }
}

/** Brings a list's rows in line with `entries`, keeping (and moving) the rows of known keys. */
function sync<T>(
  list: HTMLElement,
  entries: readonly T[],
  keyOf: (entry: T) => string,
  create: (entry: T) => HTMLLIElement,
  update?: (row: Element, entry: T) => void,
): void {
  const rows = new Map<string, Element>()
  for (const row of list.children) rows.set(row.getAttribute('data-key')!, row)
  entries.forEach((entry, i) => {
    const key = keyOf(entry)
    let row = rows.get(key)
    if (row) rows.delete(key)
    else {
      row = create(entry)
      row.setAttribute('data-key', key)
    }
    update?.(row, entry)
    const at = list.children[i]
    if (at !== row) list.insertBefore(row, at ?? null)
  })
  for (const row of rows.values()) row.remove()
}
