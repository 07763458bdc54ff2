// useConsent(): the consent state and the controls of a consent banner.
import { useMemo } from 'react'
import type { ConsentState, Palate } from '@palate/core'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * What {@link useConsent} returns.
 *
 * @example
 * const { consent, setConsent }: ConsentControls = useConsent()
 * if (consent === 'pending') showBanner({ onAnswer: (yes) => setConsent(yes ? 'granted' : 'denied') })
 */
export interface ConsentControls {
  /** The shopper's consent; the provider's `serverConsent` while rendering on the server and hydrating. */
  consent: ConsentState
  /** Consent denied and every stored byte of the profile deleted, in every open tab. */
  optOut(): Promise<void>
  /** Consent granted again; learning starts from an empty profile. */
  optIn(): Promise<void>
  setConsent(state: 'granted' | 'denied'): Promise<void>
}

/**
 * The shopper's consent and the controls for a consent banner or a privacy panel, re-rendering
 * when consent changes. The functions keep their identity while the instance is the same; without
 * an instance they do nothing and resolve.
 *
 * @example
 * function PrivacyPanel() {
 *   const { consent, optOut, optIn } = useConsent()
 *   return consent === 'denied'
 *     ? <button onClick={() => void optIn()}>Personalize my shop</button>
 *     : <button onClick={() => void optOut()}>Stop and delete my profile</button>
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}.
 */
export function useConsent(): ConsentControls {
  const [{ consent }, { palate }] = useStoreSnapshot('useConsent')
  const actions = useMemo(() => {
    const call =
      <A extends unknown[]>(act: (p: Palate, ...args: A) => Promise<void>) =>
      (...args: A) =>
        palate ? act(palate, ...args) : Promise.resolve()
    return {
      optOut: call((p) => p.optOut()),
      optIn: call((p) => p.optIn()),
      setConsent: call((p, state: 'granted' | 'denied') => p.setConsent(state)),
    }
  }, [palate])
  return useMemo(() => ({ consent, ...actions }), [consent, actions])
}
