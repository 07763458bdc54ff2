import { labelOf, type Interest } from '@palate/core'
import { useConsent, useInterests, usePalate, useSnapshot, useSurprise } from '@palate/react'
import { useNotice } from './notice.js'

const percent = (share: number) => `${Math.round(share * 100)}%`
const trendText = { rising: '↑ rising', steady: 'steady', fading: '↓ fading' } as const

/**
 * What the profile holds, and the shopper's controls: forget or mute an interest, "surprise me",
 * turn personalization off (which deletes everything) or on, download what is stored.
 */
export function PreferencesPage() {
  const palate = usePalate()
  const interests = useInterests()
  const { muted } = useSnapshot()
  const [surprise, setSurprise] = useSurprise()
  const { consent, optOut, optIn } = useConsent()
  const notice = useNotice()
  const off = consent === 'denied'

  /** Runs a shopper's action and says what happened. */
  async function act(done: string, task: () => Promise<unknown>): Promise<void> {
    try {
      await task()
      notice(done)
    } catch (error) {
      notice('Something went wrong. Please try again.')
      console.warn('[react-store]', error)
    }
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

  const row = (interest: Interest) => (
    <li key={interest.key} data-key={interest.key}>
      <span className="label">{interest.label}</span>
      <span className="muted-text">
        {interest.dimension} · {percent(interest.share)} · {trendText[interest.trend]}
      </span>
      <button type="button" className="secondary" aria-label={`Forget ${interest.label}`} onClick={() => void act(`Forgot ${interest.label}`, () => palate!.forget(interest.key))}>
        Forget
      </button>
      <button type="button" className="secondary" aria-label={`Mute ${interest.label}`} onClick={() => void act(`Muted ${interest.label}`, () => palate!.mute(interest.key))}>
        Mute
      </button>
    </li>
  )

  return (
    <>
      <h1 tabIndex={-1}>Your preferences</h1>
      <p>Everything below lives in this browser only. The shop never sees it.</p>
      <div className="prefs">
        <section aria-labelledby="interests-title">
          <h2 id="interests-title">Your interests</h2>
          {off ? (
            <p>Personalization is off. Nothing is recorded.</p>
          ) : interests.length === 0 ? (
            <p>Nothing yet. Browse a little and your interests show up here.</p>
          ) : (
            <ul className="interest-list" aria-labelledby="interests-title">
              {interests.map(row)}
            </ul>
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
        <section aria-labelledby="controls-title">
          <h2 id="controls-title">Controls</h2>
          <p>
            <button
              type="button"
              role="switch"
              aria-checked={surprise}
              aria-describedby="surprise-hint"
              className="switch"
              disabled={off}
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
            {off ? (
              <button type="button" onClick={() => void act('Personalization is on', optIn)}>
                Turn personalization on
              </button>
            ) : (
              <button type="button" className="danger" onClick={() => void act('Personalization is off and your data was deleted', optOut)}>
                Turn off and delete my data
              </button>
            )}
          </p>
          <p>
            <button type="button" className="secondary" onClick={() => void act('Your data was downloaded', download)}>
              Download my data
            </button>
          </p>
        </section>
      </div>
    </>
  )
}
