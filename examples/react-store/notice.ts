import { createContext, useContext } from 'react'

/** Says what just happened in the page's polite live region ("Added … to your cart"). */
export const NoticeContext = createContext<(text: string) => void>(() => {})

export function useNotice(): (text: string) => void {
  return useContext(NoticeContext)
}
