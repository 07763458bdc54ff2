import { defineComponent, h } from 'vue'
import { href } from './route.js'

export const NotFound = defineComponent({
  setup() {
    return () => [h('h1', { tabindex: -1 }, 'Not found'), h('p', ['There is nothing here. ', h('a', { href: href.home }, 'Back to the shop')])]
  },
})
