// The export/import format and its validation. (Meant to load with import(); static for now, see
// docs/architecture.md.)
import { describe } from '../errors.js'
import { changeOf, fold } from '../model/events.js'
import { itemFacts, parseKey, underAny } from '../model/keys.js'
import { isStoredKey, Profile, type Model } from '../model/profile.js'
import type { ConsentState, ProfileExport, StoredEvent, StoredItem, StoredKey } from '../types.js'
import { isJournalEntry, isStoredEvent, isStoredItem } from './records.js'
import { SCHEMA_VERSION, type Dump, type ProfileMeta, type Settings, type WeightOf } from './store.js'

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
    // Events still in the journal are stored too, just not yet folded into the interests.
    events: [...(dump?.events ?? []), ...(dump?.journal ?? []).filter(isJournalEntry).map((j) => j.event)] as StoredEvent[],
    items: (dump?.items ?? []) as StoredItem[],
    forgotten: dump?.forgotten ?? [],
  }
}

/**
 * The dump an import replaces the stored profile with: validated (see {@link readExport}), and in
 * this page's horizons — values of other horizons cannot be converted, so they are rebuilt from
 * the imported log.
 */
export function importedDump(data: unknown, model: Model, weightOf: WeightOf, sensitive: readonly string[], meta: ProfileMeta): Dump {
  const { dump, sameHorizons } = readExport(data, model.halfLives, sensitive, meta)
  if (!sameHorizons) {
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
export function readExport(data: unknown, halfLives: readonly number[], sensitive: readonly string[], meta: ProfileMeta): { dump: Dump; sameHorizons: boolean } {
  const fail = (what: string): never => {
    throw new TypeError(`[palate] import(): ${what}`)
  }
  if (data === null || typeof data !== 'object') fail(`expected an object from export(), got ${describe(data)}`)
  const d = data as Partial<ProfileExport>
  if (d.format !== 'palate-profile') fail(`format must be "palate-profile", got ${describe(d.format)}`)
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion! < 1 || d.schemaVersion! > SCHEMA_VERSION) {
    fail(`schemaVersion must be 1 to ${SCHEMA_VERSION}, got ${describe(d.schemaVersion)}`)
  }
  const list = (name: 'keys' | 'events' | 'items'): unknown[] => (Array.isArray(d[name]) ? d[name] : fail(`${name} must be an array, got ${describe(d[name])}`))
  // JSON has no Infinity: a horizon that never decays comes back from a file as null.
  const given = Array.isArray(d.halfLives) ? (d.halfLives as unknown[]).map((h) => (h === null ? Infinity : h)) : null
  const horizons = given && given.every((h) => typeof h === 'number' && h > 0) ? (given as number[]) : fail(`halfLives must be an array of positive numbers`)
  const under = (category: string | undefined) => underAny(category, sensitive)
  const keys = list('keys').map((record, i) => (isStoredKey(record, horizons.length) ? record : fail(`keys[${i}] is not a stored interest`)))
  const events = list('events').map((record, i) => {
    if (!isStoredEvent(record)) fail(`events[${i}] is not a stored event`)
    const event = record as StoredEvent
    return { ...event, item: itemFacts(`import(): events[${i}]`, event.item) }
  })
  // Marks of items seen only under sensitive categories would name them: they stay out too.
  const sensitiveIds = new Set(events.filter((e) => under(e.item.category)).map((e) => e.item.id))
  for (const e of events) if (!under(e.item.category)) sensitiveIds.delete(e.item.id)
  const items = list('items')
    .map((record, i) => (isStoredItem(record) ? record : fail(`items[${i}] is not a stored item mark`)))
    .filter((item) => !sensitiveIds.has(item.id))
  const settings = d.settings
  if (!settings || typeof settings.surprise !== 'boolean' || !Array.isArray(settings.muted) || !settings.muted.every((k) => parseKey(k))) {
    fail(`settings must be { surprise: boolean, muted: interest keys }`)
  }
  return {
    sameHorizons: horizons.length === halfLives.length && horizons.every((h, i) => h === halfLives[i]),
    dump: {
      meta: { ...meta, id: typeof d.profileId === 'string' ? d.profileId : meta.id, createdAt: Number.isFinite(d.createdAt) ? d.createdAt! : meta.createdAt },
      settings: { surprise: settings!.surprise, muted: settings!.muted.filter((k) => !(k.startsWith('category:') && under(k.slice(9)))) },
      keys: keys.filter((k) => !(k.key.startsWith('category:') && under(k.key.slice(9)))),
      events: events.filter((e) => !under(e.item.category)),
      items,
      journal: [],
    },
  }
}
