import { useMemo } from 'react'
import { labelOf } from '@palate/core'
import { useConsent, usePalate, useSnapshot, useSurprise } from '@palate/react'
import { groupInterests, type InterestRow } from 'palate'
import { keepFocus } from '../spa/keepFocus.js'
import { useNotice } from './notice.js'

/** A same-day rise shows ("new", "rising"); "steady" on every row would say nothing. */
const trendText = { new: '★ new', rising: '↑ rising', steady: '', fading: '↓ fading' } as const

/**
 * What the profile holds, and the shopper's controls: forget or mute an interest, "surprise me",
 * turn personalization off (which deletes everything) or on, download what is stored. Interests
 * are grouped as the script tag's <palate-preferences> groups them (`groupInterests` from
 * `palate`): categories, then brands, then tags, strongest first, percents adding up to 100 in
 * each group. Opted out, the page shows only the way back in.
 */
export function PreferencesPage() {
  const palate = usePalate()
  const snapshot = useSnapshot()
  const [surprise, setSurprise] = useSurprise()
  const { consent, optOut, optIn } = useConsent()
  const notice = useNotice()
  const off = consent === 'denied'
  const groups = useMemo(() => (palate && !off && snapshot.status !== 'loading' ? groupInterests(palate) : []), [palate, off, snapshot])
  const { muted } = snapshot

  /** Runs a shopper's action and says what happened. */
  async function act(done: string, task: () => Promise<unknown>): Promise<void> {
    // A forgotten or muted row goes away with the button that had focus: the keyboard goes on.
    const refocus = keepFocus(document, () => document.getElementById('interests-title'))
    try {
      await task()
      notice(done)
    } catch (error) {
      notice('Something went wrong. Please try again.')
      console.warn('[react-store]', error)
    }
    refocus()
  }

  async function download(): Promise<void> {
    if (!palate) return
    const data = await palate.export()
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = 'palate-profile.json'
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  const row = (interest: InterestRow, section = false) => (
    <li key={interest.key} data-key={interest.key} className={section ? 'section' : undefined}>
      <span className="label">{interest.label}</span>
      {/* The percent is the text; the bar repeats it for the eye. */}
      <meter aria-hidden="true" min={0} max={1} value={interest.relative} />
      <span className="share">{interest.percent}%</span>
      {trendText[interest.trend] && <span className="trend">{trendText[interest.trend]}</span>}
      <span className="actions">
        <button type="button" className="secondary" aria-label={`Forget ${interest.label}`} onClick={() => void act(`Forgot ${interest.label}`, () => palate!.forget(interest.key))}>
          Forget
        </button>
        <button type="button" className="secondary" aria-label={`Mute ${interest.label}`} onClick={() => void act(`Muted ${interest.label}`, () => palate!.mute(interest.key))}>
          Mute
        </button>
      </span>
      {interest.sections.length > 0 && (
        <ul className="interest-list sections" aria-label={`Within ${interest.label}`}>
          {interest.sections.map((s) => row(s, true))}
        </ul>
      )}
    </li>
  )

  return (
    <>
      <h1 tabIndex={-1}>Your preferences</h1>
      <p>Everything below lives in this browser only. The shop never sees it.</p>
      <div className={off ? 'prefs off' : 'prefs'}>
        <section aria-labelledby="interests-title">
          <h2 id="interests-title" tabIndex={-1}>
            Your interests
          </h2>
          {off ? (
            <>
              <p>Personalization is off. Nothing is recorded.</p>
              <p>
                <button type="button" onClick={() => void act('Personalization is on', optIn)}>
                  Turn personalization on
                </button>
              </p>
            </>
          ) : groups.length === 0 ? (
            <p>Nothing yet. Browse a little and your interests show up here.</p>
          ) : (
            groups.map((group) => (
              <section key={group.dimension} className="interest-group" aria-labelledby={`group-${group.dimension}`}>
                <h3 id={`group-${group.dimension}`}>{group.title}</h3>
                <ul className="interest-list" aria-labelledby={`group-${group.dimension}`}>
                  {group.rows.map((r) => row(r))}
                </ul>
              </section>
            ))
          )}
          {!off && muted.length > 0 && (
            <>
              <h3 id="muted-title">Muted</h3>
              <ul className="interest-list" aria-labelledby="muted-title">
                {muted.map((key) => (
                  <li key={key} data-key={key}>
                    <span className="label">{labelOf(key)}</span>
                    <button type="button" className="secondary" aria-label={`Unmute ${labelOf(key)}`} onClick={() => void act(`Unmuted ${labelOf(key)}`, () => palate!.unmute(key))}>
                      Unmute
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        {!off && (
          <section aria-labelledby="controls-title">
            <h2 id="controls-title">Controls</h2>
            <p>
              <button
                type="button"
                role="switch"
                aria-checked={surprise}
                aria-describedby="surprise-hint"
                className="switch"
                onClick={() => void act(`Surprise me ${surprise ? 'off' : 'on'}`, () => setSurprise(!surprise))}
              >
                <span className="track" aria-hidden="true" />
                Surprise me
              </button>
            </p>
            <p id="surprise-hint" className="muted">
              Mix in things outside your usual.
            </p>
            <p>
              <button type="button" className="danger" onClick={() => void act('Personalization is off and your data was deleted', optOut)}>
                Turn off and delete my data
              </button>
            </p>
            <p>
              <button type="button" className="secondary" onClick={() => void act('Your data was downloaded', download)}>
                Download my data
              </button>
            </p>
          </section>
        )}
      </div>
    </>
  )
}
