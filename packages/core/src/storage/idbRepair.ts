// The half-lives repair: a stored profile computed with other half-lives (a deploy changed them)
// is rebuilt from the raw event log. Rare, so loaded with import() when it is needed.
import { changeOf, fold } from '../model/events.js'
import { Profile } from '../model/profile.js'
import type { StoredKey } from '../types.js'
import { decodeEvent } from './records.js'
import type { Limits } from './store.js'

/** The interest keys the logged events give under this page's half-lives. */
export function rebuildKeys(records: readonly unknown[], { model, weightOf }: Pick<Limits, 'model' | 'weightOf'>): StoredKey[] {
  const profile = new Profile(model)
  for (const record of records) {
    const event = decodeEvent(record)
    if (event) fold(profile, changeOf(event, weightOf(event.type)))
  }
  return profile.records()
}
