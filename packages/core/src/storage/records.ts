// The checks a record read back must pass: whatever another program or a corrupt write left is
// dropped, never allowed to break the profile.
import { isEventType, type Change } from '../model/events.js'
import { MAX_LENGTH, MAX_TAGS, normalizeKey } from '../model/keys.js'
import type { StoredEvent, StoredItem } from '../types.js'
import { DEFAULT_SETTINGS, TOMBSTONE_LIFE, type JournalEntry, type Settings, type SettingsChange, type SettingsEntry, type Tombstone } from './store.js'

/**
 * Settings as stored, with anything malformed replaced by the default, and mutes spelled as the
 * profile spells keys (an earlier version stored them as given).
 */
export function normalizeSettings(value: unknown): Settings {
  const s = (value ?? {}) as Partial<Settings>
  const muted = Array.isArray(s.muted) ? s.muted.map(normalizeKey).filter((k): k is string => k !== null) : []
  return {
    surprise: typeof s.surprise === 'boolean' ? s.surprise : DEFAULT_SETTINGS.surprise,
    muted: [...new Set(muted)],
  }
}

/**
 * `settings` with `changes` applied in order, and the mutes `drop` names removed. A mute keeps its
 * place when the key was muted already.
 */
export function applyChanges(settings: Settings, changes: readonly SettingsChange[], drop?: (key: string) => boolean): Settings {
  let { surprise, muted } = settings
  for (const [what, value] of changes) {
    if (what === 'surprise') surprise = value
    else if (what === 'unmute') muted = muted.filter((key) => key !== value)
    else if (!muted.includes(value)) muted = [...muted, value]
  }
  return { surprise, muted: drop ? muted.filter((key) => !drop(key)) : muted }
}

/** Whether a journal record is a settings change the engine wrote (see `SettingsEntry`). */
export function isSettingsEntry(value: unknown): value is SettingsEntry {
  if (value === null || typeof value !== 'object') return false
  const { settings, t } = value as Partial<SettingsEntry>
  if (!Array.isArray(settings) || !Number.isFinite(t)) return false
  const [what, v] = settings as unknown[]
  return what === 'surprise' ? typeof v === 'boolean' : (what === 'mute' || what === 'unmute') && typeof v === 'string' && normalizeKey(v) === v
}

/** Journal entries a tombstone rules out: tracked before the forget, feeding a forgotten key. */
export function buried(change: Change, tombstones: readonly Tombstone[]): boolean {
  for (const { key, at } of tombstones) if (change.event.t <= at && change.keys.includes(key)) return true
  return false
}

/**
 * The stored tombstones (see `Store.forget`) of the right shape — those still live at `now`, when
 * given — and whether any others are still stored.
 */
export function liveTombstones(stored: unknown, now?: number): { live: Tombstone[]; stale: boolean } {
  if (!Array.isArray(stored)) return { live: [], stale: false }
  const live = stored.filter(
    (t): t is Tombstone => !!t && typeof t.key === 'string' && Number.isFinite(t.at) && (now === undefined || now - t.at < TOMBSTONE_LIFE),
  )
  return { live, stale: live.length < stored.length }
}

/** Whether a stored event record has the shape the engine writes. */
export function isStoredEvent(value: unknown): value is StoredEvent {
  if (value === null || typeof value !== 'object') return false
  const { t, type, item } = value as Partial<StoredEvent>
  if (!Number.isFinite(t) || !isEventType(type) || item === null || typeof item !== 'object') return false
  const { id, category, tags, brand } = item
  const text = (s: unknown): boolean => typeof s === 'string' && s.length <= MAX_LENGTH
  // Everything the keys are built from must be what the engine writes: a record of another shape
  // (another program, a corrupt write) is dropped, not allowed to break the profile.
  return (
    text(id) &&
    (category === undefined || text(category)) &&
    (brand === undefined || text(brand)) &&
    (tags === undefined || (Array.isArray(tags) && tags.length <= MAX_TAGS && tags.every(text)))
  )
}

/** Whether a journal record has the shape the engine writes. */
export function isJournalEntry(value: unknown): value is JournalEntry {
  if (value === null || typeof value !== 'object') return false
  const { event, weight } = value as Partial<JournalEntry>
  return isStoredEvent(event) && typeof weight === 'number' && Number.isFinite(weight)
}

/** Whether a stored item record has the shape the engine writes. */
export function isStoredItem(value: unknown): value is StoredItem {
  if (value === null || typeof value !== 'object') return false
  const { id, purchased, dismissed } = value as Partial<StoredItem>
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_LENGTH && (purchased === undefined || Number.isFinite(purchased)) && (dismissed === undefined || Number.isFinite(dismissed))
}
