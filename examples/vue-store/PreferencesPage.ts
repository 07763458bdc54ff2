import { defineComponent, h } from 'vue'
import { labelOf, type Interest } from '@palate/core'
import { useConsent, useInterests, usePalate, useSnapshot, useSurprise } from '@palate/vue'
import { keepFocus } from '../spa/keepFocus.js'
import { useNotice } from './notice.js'

const percent = (share: number) => `${Math.round(share * 100)}%`
/** A same-day rise shows ("new", "rising"); "steady" on every row would say nothing. */
const trendText = { new: '★ new', rising: '↑ rising', steady: '', fading: '↓ fading' } as const

/**
 * What the profile holds, and the shopper's controls: forget or mute an interest, "surprise me",
 * turn personalization off (which deletes everything) or on, download what is stored.
 */
export const PreferencesPage = defineComponent({
  setup() {
    const palate = usePalate()
    const interests = useInterests()
    const snapshot = useSnapshot()
    const [surprise, setSurprise] = useSurprise()
    const { consent, optOut, optIn } = useConsent()
    const notice = useNotice()

    /** Runs a shopper's action and says what happened. */
    async function act(done: string, task: () => Promise<unknown>): Promise<void> {
      // A forgotten or muted row goes away with the button that had focus: the keyboard goes on.
      const refocus = keepFocus(document, () => document.getElementById('interests-title'))
      try {
        await task()
        notice(done)
      } catch (error) {
        notice('Something went wrong. Please try again.')
        console.warn('[vue-store]', error)
      }
      refocus()
    }

    async function download(): Promise<void> {
      if (!palate.value) return
      const data = await palate.value.export()
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
      const link = document.createElement('a')
      link.href = url
      link.download = 'palate-profile.json'
      link.click()
      setTimeout(() => URL.revokeObjectURL(url), 1000)
    }

    const row = (interest: Interest) =>
      h('li', { key: interest.key, 'data-key': interest.key }, [
        h('span', { class: 'label' }, interest.label),
        h('span', { class: 'muted-text' }, [interest.dimension, percent(interest.share), trendText[interest.trend]].filter(Boolean).join(' · ')),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Forget ${interest.label}`, onClick: () => void act(`Forgot ${interest.label}`, () => palate.value!.forget(interest.key)) }, 'Forget'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Mute ${interest.label}`, onClick: () => void act(`Muted ${interest.label}`, () => palate.value!.mute(interest.key)) }, 'Mute'),
      ])

    return () => {
      const off = consent.value === 'denied'
      const { muted } = snapshot.value
      const on = surprise.value
      return [
        h('h1', { tabindex: -1 }, 'Your preferences'),
        h('p', 'Everything below lives in this browser only. The shop never sees it.'),
        h('div', { class: 'prefs' }, [
          h('section', { 'aria-labelledby': 'interests-title' }, [
            h('h2', { id: 'interests-title', tabindex: -1 }, 'Your interests'),
            off
              ? [
                  h('p', 'Personalization is off. Nothing is recorded.'),
                  h('p', [h('button', { type: 'button', onClick: () => void act('Personalization is on', optIn) }, 'Turn personalization on')]),
                ]
              : interests.value.length === 0
                ? h('p', 'Nothing yet. Browse a little and your interests show up here.')
                : h('ul', { class: 'interest-list', 'aria-labelledby': 'interests-title' }, interests.value.map(row)),
            !off &&
              muted.length > 0 && [
                h('h3', { id: 'muted-title' }, 'Muted'),
                h(
                  'ul',
                  { class: 'interest-list', 'aria-labelledby': 'muted-title' },
                  muted.map((key) =>
                    h('li', { key, 'data-key': key }, [
                      h('span', { class: 'label' }, labelOf(key)),
                      h('button', { type: 'button', class: 'secondary', 'aria-label': `Unmute ${labelOf(key)}`, onClick: () => void act(`Unmuted ${labelOf(key)}`, () => palate.value!.unmute(key)) }, 'Unmute'),
                    ]),
                  ),
                ),
              ],
          ]),
          // Opted out, only the way back in is offered (above): nothing to switch, nothing to download.
          !off &&
            h('section', { 'aria-labelledby': 'controls-title' }, [
              h('h2', { id: 'controls-title' }, 'Controls'),
              h('p', [
                h(
                  'button',
                  {
                    type: 'button',
                    role: 'switch',
                    'aria-checked': String(on),
                    'aria-describedby': 'surprise-hint',
                    class: 'switch',
                    onClick: () => void act(`Surprise me ${on ? 'off' : 'on'}`, () => setSurprise(!on)),
                  },
                  [h('span', { class: 'track', 'aria-hidden': 'true' }), 'Surprise me'],
                ),
              ]),
              h('p', { id: 'surprise-hint', class: 'muted' }, 'Mix in things outside your usual.'),
              h('p', [h('button', { type: 'button', class: 'danger', onClick: () => void act('Personalization is off and your data was deleted', optOut) }, 'Turn off and delete my data')]),
              h('p', [h('button', { type: 'button', class: 'secondary', onClick: () => void act('Your data was downloaded', download) }, 'Download my data')]),
            ]),
        ]),
      ]
    }
  },
})
