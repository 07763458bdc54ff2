import { inject, type InjectionKey } from 'vue'

/** Says what just happened in the page's polite live region ("Added … to your cart"). */
export const NoticeKey: InjectionKey<(text: string) => void> = Symbol('notice')

export function useNotice(): (text: string) => void {
  return inject(NoticeKey, () => {})
}
