// "Watch it decay": a scripted shopper replayed through the public core API with an injected clock.
// Each preset is a list of events at simulated times; moving the clock tracks the events it passes
// and samples palate.interests() at the end of every simulated day. Nothing is stored: memory only.
import { createPalate } from '../build/core.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Day 0 of every story: Monday 2 March 2026. */
const START = Date.UTC(2026, 2, 2)
/** When in the day the clock stands and the chart samples: after the day's browsing. */
const SAMPLE_HOUR = 23

const departments = {
  gym: { label: 'Gym', color: '#2a5d8f' },
  hiking: { label: 'Hiking', color: '#2f855a' },
  ski: { label: 'Ski', color: '#6b46c1' },
  surf: { label: 'Surf', color: '#c05621' },
  running: { label: 'Running', color: '#b83280' },
  toys: { label: 'Toys', color: '#975a16' },
  camping: { label: 'Camping', color: '#4a5568' },
}

/** `days` days of `department` from `from`, at the given hours; every `cartEvery`th day the last one is a cart. */
function browsing(department, from, days, hours, cartEvery = 0) {
  const events = []
  for (let d = from; d < from + days; d++) {
    hours.forEach((hour, i) => {
      const type = cartEvery && (d - from) % cartEvery === cartEvery - 1 && i === hours.length - 1 ? 'add_to_cart' : 'view'
      events.push({ at: START + d * DAY + hour * HOUR, type, item: { id: `${department}-${(d * hours.length + i) % 6}`, category: department } })
    })
  }
  return events
}

const presets = [
  {
    id: 'gym-hiking',
    label: 'Gym → hiking',
    story: 'Six weeks of gym (two product pages a day, a cart every ten days), then hiking from day 42 at three a day. The clock starts the evening before the first hiking view: move it a day at a time.',
    start: 41,
    events: () => [...browsing('gym', 0, 42, [9, 19], 10), ...browsing('hiking', 42, 21, [10, 14, 19])],
  },
  {
    id: 'seasonal',
    label: 'Seasonal',
    story: 'Two months of skiing, three of surfing, then skiing again from day 150. Long-held taste comes back faster than it was first learned.',
    start: 149,
    events: () => [...browsing('ski', 0, 60, [9, 20], 15), ...browsing('surf', 60, 90, [9, 20], 15), ...browsing('ski', 150, 30, [9, 20])],
  },
  {
    id: 'stray',
    label: 'Stray click',
    story: 'Two months of running; on day 30, one evening of looking at toys (a gift). A stray burst barely moves the running shopper, and fades.',
    start: 29,
    events: () => [...browsing('running', 0, 60, [8, 18], 10), ...browsing('toys', 30, 1, [21, 21.5, 22])].sort((a, b) => a.at - b.at),
  },
  {
    id: 'away',
    label: 'Six months away',
    story: 'A month of hiking with some camping, then nothing. Time alone never reorders interests: move the clock a month at a time and the shares hold.',
    start: 30,
    events: () => [...browsing('hiking', 0, 30, [9, 19], 7), ...browsing('camping', 10, 20, [20])].sort((a, b) => a.at - b.at),
  },
]

const $ = (id) => document.getElementById(id)
const SVG = 'http://www.w3.org/2000/svg'
function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value))
  if (text !== undefined) node.textContent = text
  return node
}

let state = null
let instances = 0

/** A fresh shopper for `preset`, with the clock at its start day. */
function start(preset) {
  state?.palate.close()
  const clock = { t: START }
  // A name of its own per run: instances of one page must not hear each other's tab messages.
  const palate = createPalate({ storage: 'memory', name: `decay-${preset.id}-${++instances}`, now: () => clock.t })
  state = { preset, palate, clock, events: preset.events(), next: 0, day: -1, samples: [] }
  advanceTo(preset.start)
}

/** Moves the clock to the evening of `day`, tracking every event on the way and sampling each evening. */
function advanceTo(day) {
  const { palate, clock, events } = state
  for (let d = state.day + 1; d <= day; d++) {
    const evening = START + d * DAY + SAMPLE_HOUR * HOUR
    while (state.next < events.length && events[state.next].at <= evening) {
      const event = events[state.next++]
      clock.t = event.at
      palate.track(event.type, event.item)
    }
    clock.t = evening
    const shares = {}
    for (const interest of palate.interests({ dimension: 'category', limit: 50 })) {
      if (!interest.key.slice('category:'.length).includes('/')) shares[interest.value] = interest.share
    }
    state.samples.push({ day: d, shares })
    state.day = d
  }
  render()
}

const percent = (share) => `${Math.round(share * 100)}%`

function render() {
  const { preset, samples, day, palate } = state
  const shown = Object.keys(departments).filter((id) => samples.some((s) => s.shares[id]))
  const dateText = new Date(START + day * DAY).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
  $('now').textContent = `Day ${day} · ${dateText}`
  $('story').textContent = preset.story
  for (const radio of document.querySelectorAll('input[name="preset"]')) radio.checked = radio.value === preset.id

  // The chart: x is the day, y the share of the shopper's interest among departments.
  const chart = $('chart')
  chart.replaceChildren(chart.querySelector('title'), chart.querySelector('desc'))
  // Drawn at the width it is shown (in CSS px): text stays legible on a phone instead of shrinking.
  const width = Math.round(Math.min(760, Math.max(300, chart.getBoundingClientRect().width || 640)))
  const height = width < 500 ? 220 : 280
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`)
  const [left, right, top, bottom] = [44, width - 14, 12, height - 28]
  const span = Math.max(day, 7)
  const x = (d) => left + ((right - left) * d) / span
  const y = (share) => bottom - (bottom - top) * share
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg('line', { x1: left, x2: right, y1: y(share), y2: y(share), class: 'grid' }))
    chart.append(svg('text', { x: left - 6, y: y(share) + 4, 'text-anchor': 'end', class: 'tick' }, percent(share)))
  }
  // About one label per 60 px.
  const step = [1, 7, 14, 30, 60, 90].find((n) => ((right - left) * n) / span >= 60) ?? 120
  for (let d = 0; d <= span; d += step) {
    chart.append(svg('text', { x: x(d), y: bottom + 18, 'text-anchor': 'middle', class: 'tick' }, d === 0 ? 'day 0' : String(d)))
  }
  for (const id of shown) {
    const points = samples.map((s) => `${x(s.day).toFixed(1)},${y(s.shares[id] ?? 0).toFixed(1)}`).join(' ')
    chart.append(svg('polyline', { points, fill: 'none', stroke: departments[id].color, 'stroke-width': 2.5, 'stroke-linejoin': 'round', 'data-department': id }))
  }
  chart.append(svg('line', { x1: x(day), x2: x(day), y1: top, y2: bottom, class: 'now' }))

  const today = samples[samples.length - 1]?.shares ?? {}
  const ranked = shown.filter((id) => today[id]).sort((a, b) => today[b] - today[a])
  const summary = ranked.map((id) => `${departments[id].label} ${percent(today[id])}`).join(', ') || 'nothing learned yet'
  $('chart-desc').textContent = `Day ${day}: ${summary}.`

  $('legend').replaceChildren(
    ...shown.map((id) => {
      const swatch = svg('svg', { width: 14, height: 14, 'aria-hidden': 'true' })
      swatch.append(svg('rect', { width: 14, height: 14, rx: 3, fill: departments[id].color }))
      const li = document.createElement('li')
      li.append(swatch, departments[id].label)
      return li
    }),
  )
  $('today').replaceChildren(
    ...ranked.map((id) => {
      const li = document.createElement('li')
      li.dataset.department = id
      const name = document.createElement('span')
      name.textContent = departments[id].label
      const share = document.createElement('span')
      share.className = 'share'
      share.textContent = percent(today[id])
      li.append(name, share)
      return li
    }),
  )
  const shift = palate.getSnapshot().shift
  const name = (key) => departments[key.replace('category:', '').split('/')[0]]?.label ?? key
  $('shift').textContent = shift
    ? `Shift: ${name(shift.to)} has displaced ${name(shift.from)}, the cue for “New to ${name(shift.to)}? Start here”.`
    : 'No shift: the long-time favourite still leads.'
}

$('presets').replaceChildren(
  ...presets.map((preset) => {
    const label = document.createElement('label')
    const radio = Object.assign(document.createElement('input'), { type: 'radio', name: 'preset', value: preset.id })
    radio.addEventListener('change', () => start(preset))
    label.append(radio, ` ${preset.label}`)
    return label
  }),
)
for (const button of document.querySelectorAll('button[data-days]')) {
  button.addEventListener('click', () => advanceTo(state.day + Number(button.dataset.days)))
}
$('restart').addEventListener('click', () => start(state.preset))

let resized = 0
window.addEventListener('resize', () => {
  cancelAnimationFrame(resized)
  resized = requestAnimationFrame(render)
})

start(presets[0])
window.decay = {
  get day() {
    return state.day
  },
  get palate() {
    return state.palate
  },
}
