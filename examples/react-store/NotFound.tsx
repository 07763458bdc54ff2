import { href } from './route.js'

export function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        There is nothing here. <a href={href.home}>Back to the shop</a>
      </p>
    </>
  )
}
