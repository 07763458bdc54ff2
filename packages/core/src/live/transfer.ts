// export() and import(): what is stored, read out in the export format, and an export validated
// and put in place of the stored profile, all or nothing (the format and its checks are in
// storage/exchange.ts). A lazy part (see lazy.ts): loaded on the first export() or import().
import { importedDump, toExport } from '../storage/exchange.js'
import type { Store } from '../storage/store.js'
import type { ProfileExport } from '../types.js'
import type { Engine } from './engine.js'

export async function exportProfile(e: Engine): Promise<ProfileExport> {
  await e.writer.flush()
  // A write that found the connection lost: its events go to the store replacing it.
  if (e.recovering) await e.recovering.then(() => e.writer.flush())
  const target = e.store
  const dump = target ? await e.serial(() => target.dump()) : null
  return toExport(dump, { consent: e.consent, halfLives: e.model.halfLives, settings: e.live.settings, exportedAt: e.now() })
}

/** Replaces what `target` holds with `data` (the facade checked consent and the store first). */
export async function importProfile(e: Engine, target: Store, data: ProfileExport): Promise<void> {
  const { config } = e
  const { meta } = await e.serial(() => target.load())
  const dump = importedDump(data, e.model, e.weightOf, config.sensitive, meta, { maxKeys: config.maxKeys, maxEvents: config.maxEvents, now: e.now() })
  e.writer.pending = []
  await e.serial(async () => {
    await target.replace(dump)
    // The caps hold for an imported profile too; expiry is left to the regular sweep, so that an
    // import restores exactly what was exported.
    await target.merge(e.limits())
    e.sync.changed(target)
    await e.writer.readBack(target)
  })
}
