// The export/import format and its validation. Loaded with import() on the first export() or
// import(), with live/transfer.ts (see live/lazy.ts).
import { describe } from '../errors.js'
import { changeOf, fold } from '../model/events.js'
import { itemFacts, keysOf, MAX_LENGTH, normalizeKey, parseKey, underAny } from '../model/keys.js'
import { isStoredKey, Profile, type Model } from '../model/profile.js'
import type { ConsentState, ProfileExport, StoredEvent, StoredItem, StoredKey } from '../types.js'
import { isJournalEntry, isStoredEvent, isStoredItem } from './records.js'
import { SCHEMA_VERSION, type Dump, type ProfileMeta, type Settings, type Tombstone, type WeightOf } from './store.js'

/**
 * The caps an imported file must fit, so a file cannot make the profile bigger than tracking could,
 * and the importing page's clock.
 */
export interface ImportLimits {
  maxKeys: number
  maxEvents: number
  /**
   * A time in the file more than {@link AHEAD} later than this (a file from a device whose clock ran
   * fast, or edited by hand) is read as this, as the model reads an event from a clock that
   * jumped: nothing imported stays in force longer than the same thing done now. An interest dated
   * next year would not fade until then, a forget dated next year would refuse every new event of
   * its interest until then, and a purchase would keep its item down as long.
   */
  now: number
}

/** A day: a clock this far ahead is taken as one that jumped, as the model takes it (profile.ts). */
const AHEAD = 86_400_000

/** Item marks and tombstones a file may hold (tracking keeps far fewer; these only bound a hostile file). */
export const MAX_IMPORTED_ITEMS = 100_000
export const MAX_IMPORTED_TOMBSTONES = 10_000
/** Records that are not interest keys (`#totals`, `#mix`, ...) a file may hold beyond `maxKeys`. */
const MAX_SPECIAL_KEYS = 16

/** What `export()` says beyond what is stored: this page's view of the profile. */
export interface ExportContext {
  consent: ConsentState
  halfLives: readonly number[]
  /** The live settings, exported when there is no store (consent pending, say). */
  settings: Settings
  exportedAt: number
}

/** Everything stored, in the export format; `dump` null when nothing is stored. */
export function toExport(dump: Dump | null, context: ExportContext): ProfileExport {
  return {
    format: 'palate-profile',
    schemaVersion: SCHEMA_VERSION,
    profileId: dump?.meta.id ?? null,
    createdAt: dump?.meta.createdAt ?? null,
    exportedAt: context.exportedAt,
    consent: context.consent,
    halfLives: [...context.halfLives],
    settings: dump ? dump.settings : { surprise: context.settings.surprise, muted: [...context.settings.muted] },
    keys: (dump?.keys ?? []) as StoredKey[],
    // Events still in the journal are stored too, just not yet folded into the interests. Ids are
    // positions in the log: the stored ones are the database's own keys (an import renumbers them),
    // so export → import → export gives the same file.
    events: [...(dump?.events ?? []), ...(dump?.journal ?? []).filter(isJournalEntry).map((j) => j.event)].map((e, i) => ({ ...(e as StoredEvent), id: i + 1 })),
    items: (dump?.items ?? []) as StoredItem[],
    forgotten: (dump?.forgotten ?? []).map(({ key, at }) => ({ key, at })),
  }
}

/**
 * The dump an import replaces the stored profile with: validated (see {@link readExport}), and in
 * this page's horizons — values of other horizons cannot be converted, so they are rebuilt from
 * the imported log.
 */
export function importedDump(data: unknown, model: Model, weightOf: WeightOf, sensitive: readonly string[], meta: ProfileMeta, limits: ImportLimits): Dump {
  const { dump, rebuild } = readExport(data, model.halfLives, sensitive, meta, limits)
  if (rebuild) {
    const rebuilt = new Profile(model)
    for (const event of dump.events as StoredEvent[]) fold(rebuilt, changeOf(event, weightOf(event.type)))
    dump.keys = rebuilt.records()
  }
  dump.meta = { ...dump.meta, halfLives: [...model.halfLives] }
  return dump
}

/**
 * Checks an export before it replaces anything, so a bad file loses nothing: every record must have
 * the shape Palate writes, items are validated like tracked ones, and sensitive categories are left
 * out. Throws a TypeError naming the first bad part.
 */
export function readExport(
  data: unknown,
  halfLives: readonly number[],
  sensitive: readonly string[],
  meta: ProfileMeta,
  limits: ImportLimits,
): { dump: Dump; rebuild: boolean } {
  const { d, horizons } = readHeader(data)
  const now = limits.now
  const upTo = (t: number): number => (t - now > AHEAD ? now : t)
  const list = (name: 'keys' | 'events' | 'items', max: number): unknown[] => {
    const value = d[name]
    if (!Array.isArray(value)) fail(`${name} must be an array, got ${describe(value)}`)
    // Checked before anything is read: a huge file is refused at once, not after seconds of work.
    if ((value as unknown[]).length > max) fail(`${name} holds ${(value as unknown[]).length} records, more than the ${max} this profile keeps`)
    return value as unknown[]
  }
  const under = (category: string | undefined) => underAny(category, sensitive)
  const keys = list('keys', limits.maxKeys + MAX_SPECIAL_KEYS).map((record, i): StoredKey => {
    if (!isStoredKey(record, horizons.length)) fail(`keys[${i}] is not a stored interest`)
    return upTo(record.t) !== record.t || upTo(record.f) !== record.f ? { ...record, t: upTo(record.t), f: upTo(record.f) } : record
  })
  const seenKeys = new Set<string>()
  keys.forEach((k, i) => {
    if (seenKeys.has(k.key)) fail(`keys[${i}].key ${describe(k.key)} appears twice`)
    seenKeys.add(k.key)
  })
  const events = list('events', limits.maxEvents).map((record, i): StoredEvent => {
    if (!isStoredEvent(record)) fail(`events[${i}] is not a stored event`)
    const event = record as StoredEvent
    // The id in the file is only checked, never stored: the log is renumbered below, so no file
    // can give the database a key it refuses, one past 2^53, or the same key twice.
    if (event.id !== undefined && !(Number.isSafeInteger(event.id) && event.id > 0)) fail(`events[${i}].id must be a positive integer, got ${describe(event.id)}`)
    return { t: upTo(event.t), type: event.type, item: itemFacts(`import(): events[${i}]`, event.item) }
  })
  // Marks of items seen only under sensitive categories would name them: they stay out too.
  const sensitiveIds = new Set(events.filter((e) => under(e.item.category)).map((e) => e.item.id))
  for (const e of events) if (!under(e.item.category)) sensitiveIds.delete(e.item.id)
  const items = list('items', MAX_IMPORTED_ITEMS)
    .map((record, i) => (isStoredItem(record) ? record : fail(`items[${i}] is not a stored item mark`)))
    .filter((item) => !sensitiveIds.has(item.id))
    .map((item) => upToItem(item, upTo))
  const settings = readSettings(d, limits.maxKeys)
  const forgotten = readForgotten(d).map(({ key, at }) => ({ key, at: upTo(at) }))
  // Tags and brands the file knows only from sensitive events would name them: left out, as mutes
  // and tombstones too. (Keys whose events have left the log cannot be told apart, and stay.)
  const named = new Set<string>()
  for (const e of events) if (under(e.item.category)) for (const k of keysOf(e.item)) if (!k.startsWith('category:')) named.add(k)
  for (const e of events) if (!under(e.item.category)) for (const k of keysOf(e.item)) named.delete(k)
  const unsafe = (key: string): boolean => named.has(key) || (key.startsWith('category:') && under(key.slice(9)))
  return {
    // Other horizons, or keys not spelled as Palate spells them (a file edited by hand): the keys
    // are rebuilt from the log, whose events are normalized as tracked ones, so that every
    // interest listed can be forgotten and muted.
    rebuild: !(horizons.length === halfLives.length && horizons.every((h, i) => h === halfLives[i])) || keys.some((k) => parseKey(k.key) !== null && normalizeKey(k.key) !== k.key),
    dump: {
      meta: { ...meta, id: typeof d.profileId === 'string' ? d.profileId : meta.id, createdAt: d.createdAt != null ? upTo(d.createdAt) : meta.createdAt },
      settings: { surprise: settings.surprise, muted: settings.muted.filter((k) => !unsafe(k)) },
      keys: keys.filter((k) => !unsafe(k.key)),
      events: events.filter((e) => !under(e.item.category)).map((e, i) => ({ ...e, id: i + 1 })),
      items,
      journal: [],
      forgotten: forgotten.filter((f) => !unsafe(f.key)),
    },
  }
}

/** An item mark with its times read by `upTo`: the same record when that changes neither. */
function upToItem(item: StoredItem, upTo: (t: number) => number): StoredItem {
  const { id, purchased, dismissed } = item
  if ((purchased === undefined || upTo(purchased) === purchased) && (dismissed === undefined || upTo(dismissed) === dismissed)) return item
  const dated: StoredItem = { id }
  if (purchased !== undefined) dated.purchased = upTo(purchased)
  if (dismissed !== undefined) dated.dismissed = upTo(dismissed)
  return dated
}

/** Throws the TypeError `[palate] import(): what`: the first bad part of a file. */
function fail(what: string): never {
  throw new TypeError(`[palate] import(): ${what}`)
}

/** The file's format and version, its profile id and creation time, and its half-lives. */
function readHeader(data: unknown): { d: Partial<ProfileExport>; horizons: number[] } {
  if (data === null || typeof data !== 'object') fail(`expected an object from export(), got ${describe(data)}`)
  const d = data as Partial<ProfileExport>
  if (d.format !== 'palate-profile') fail(`format must be "palate-profile", got ${describe(d.format)}`)
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion! < 1 || d.schemaVersion! > SCHEMA_VERSION) {
    fail(`schemaVersion must be 1 to ${SCHEMA_VERSION}, got ${describe(d.schemaVersion)}`)
  }
  if (d.profileId != null && (typeof d.profileId !== 'string' || d.profileId.length === 0 || d.profileId.length > MAX_LENGTH)) {
    fail(`profileId must be null or a string of 1 to ${MAX_LENGTH} characters, got ${typeof d.profileId === 'string' ? `${d.profileId.length} characters` : describe(d.profileId)}`)
  }
  if (d.createdAt != null && !Number.isFinite(d.createdAt)) fail(`createdAt must be null or a time in ms, got ${describe(d.createdAt)}`)
  // JSON has no Infinity: a horizon that never decays comes back from a file as null.
  const given = Array.isArray(d.halfLives) ? (d.halfLives as unknown[]).map((h) => (h === null ? Infinity : h)) : null
  const horizons = given && given.every((h) => typeof h === 'number' && h > 0) ? (given as number[]) : fail(`halfLives must be an array of positive numbers`)
  return { d, horizons }
}

function readSettings(d: Partial<ProfileExport>, maxKeys: number): Settings {
  const settings = d.settings
  if (!settings || typeof settings !== 'object' || typeof settings.surprise !== 'boolean') fail(`settings.surprise must be a boolean`)
  if (!Array.isArray(settings!.muted)) fail(`settings.muted must be an array of interest keys, got ${describe(settings!.muted)}`)
  if (settings!.muted.length > maxKeys) fail(`settings.muted holds ${settings!.muted.length} keys, more than the ${maxKeys} this profile keeps`)
  settings!.muted.forEach((k, i) => parseKey(k) ?? fail(`settings.muted[${i}] is not an interest key, got ${describe(k)}`))
  return settings!
}

function readForgotten(d: Partial<ProfileExport>): Tombstone[] {
  const records: unknown = d.forgotten ?? []
  if (!Array.isArray(records)) fail(`forgotten must be an array, got ${describe(records)}`)
  if ((records as unknown[]).length > MAX_IMPORTED_TOMBSTONES) fail(`forgotten holds more than ${MAX_IMPORTED_TOMBSTONES} records`)
  return (records as unknown[]).map((record, i): Tombstone => {
    const { key, at } = (record ?? {}) as Partial<Tombstone>
    if (!parseKey(key) || !Number.isFinite(at)) fail(`forgotten[${i}] must be { key: interest key, at: time in ms }`)
    return { key: key!, at: at! }
  })
}
