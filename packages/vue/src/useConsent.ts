// useConsent(): the consent state as a computed ref, and the controls of a consent banner.
import { computed, type ComputedRef } from 'vue'
import type { ConsentState } from '@palate/core'
import { useStoreSnapshot, withPalate } from './providePalate.js'

/**
 * What {@link useConsent} returns.
 *
 * @example
 * const { consent, setConsent }: ConsentControls = useConsent()
 * const answer = (yes: boolean) => setConsent(yes ? 'granted' : 'denied')
 * // <ConsentBanner v-if="consent === 'pending'" @answer="answer" />
 */
export interface ConsentControls {
  /** The shopper's consent; the provider's `serverConsent` on the server and while hydrating. */
  consent: ComputedRef<ConsentState>
  /** Consent denied and every stored byte of the profile deleted, in every open tab. */
  optOut(): Promise<void>
  /** Consent granted again; learning starts from an empty profile. */
  optIn(): Promise<void>
  setConsent(state: 'granted' | 'denied'): Promise<void>
}

/**
 * The shopper's consent, as a computed ref, and the controls for a consent banner or a privacy
 * panel. Without an instance the functions do nothing and resolve.
 *
 * @example
 * // <script setup lang="ts">
 * const { consent, optOut, optIn } = useConsent()
 * // <button v-if="consent === 'denied'" @click="optIn()">Personalize my shop</button>
 * // <button v-else @click="optOut()">Stop and delete my profile</button>
 *
 * @throws Error when used outside setup() or without {@link providePalate} above.
 */
export function useConsent(): ConsentControls {
  const [snapshot, { palate }] = useStoreSnapshot('useConsent')
  const call = withPalate(palate)
  return {
    consent: computed(() => snapshot.value.consent),
    optOut: call((p) => p.optOut()),
    optIn: call((p) => p.optIn()),
    setConsent: call((p, state: 'granted' | 'denied') => p.setConsent(state)),
  }
}
