import { describe, expect, it } from 'vitest'
import type { Dimension, Interest, InterestsOptions } from '@palate/core'
import { groupInterests } from './groupInterests.js'

/** A stand-in for palate: `interests()` answers from a fixed list, as core would have filtered it. */
function fake(listed: [key: string, score: number, trend?: Interest['trend']][], muted: string[] = []) {
  const interests = listed.map(([key, score, trend = 'steady']) => {
    const dimension = key.slice(0, key.indexOf(':')) as Dimension
    const value = key.slice(dimension.length + 1)
    return { key, dimension, value, label: value.split('/').join(' '), score, share: 0, trend }
  })
  return {
    interests: (options: InterestsOptions = {}) => interests.filter((i) => !options.dimension || i.dimension === options.dimension).slice(0, options.limit),
    getSnapshot: () => ({ muted }) as never,
  }
}

const summary = (palate: ReturnType<typeof fake>) =>
  groupInterests(palate).map((g) => [g.title, g.rows.map((r) => `${r.label} ${r.percent}${r.sections.length ? ` [${r.sections.map((s) => `${s.label} ${s.percent}`).join(', ')}]` : ''}`)])

describe('groupInterests', () => {
  it.each([
    {
      name: 'categories, brands, tags; strongest first; whole percents that add up to 100',
      listed: [['tag:strength', 2], ['brand:ironclad', 3], ['category:gym', 6], ['category:hiking', 3], ['brand:summit', 1], ['category:gym/weights', 4], ['category:gym/cardio', 2]],
      expected: [
        ['Categories', ['gym 67 [gym weights 67, gym cardio 33]', 'hiking 33']],
        ['Brands', ['ironclad 75', 'summit 25']],
        ['Tags', ['strength 100']],
      ],
    },
    {
      name: 'thirds round so that they still add up to 100 (largest remainders get the extra point)',
      listed: [['brand:a', 1], ['brand:b', 1], ['brand:c', 1]],
      expected: [['Brands', ['a 34', 'b 33', 'c 33']]],
    },
    {
      name: 'a category core left out for saying no more than its section is shown above it, labelled as core labels it',
      listed: [['category:gym', 5], ['category:hiking/boots', 3]],
      expected: [['Categories', ['gym 63', 'Hiking 37 [hiking boots 100]']]],
    },
    {
      name: 'muting Gym: Hiking, left out by core as the whole store, is still shown',
      listed: [['category:hiking/boots', 3], ['category:hiking/packs', 1]],
      muted: ['category:gym'],
      expected: [['Categories', ['Hiking 100 [hiking boots 75, hiking packs 25]']]],
    },
    {
      name: 'a store whose every category is under one root: its sections lead, the root is not invented',
      listed: [['category:sports/hiking', 3], ['category:sports/gym', 1]],
      expected: [['Categories', ['sports hiking 75', 'sports gym 25']]],
    },
    { name: 'nothing learned: no groups', listed: [], expected: [] },
  ] as { name: string; listed: [string, number][]; muted?: string[]; expected: unknown }[])('$name', ({ listed, muted, expected }) => {
    expect(summary(fake(listed, muted))).toEqual(expected)
  })

  it('gives bar lengths against the strongest of the list, and keeps trends', () => {
    const [group] = groupInterests(fake([['brand:a', 4, 'rising'], ['brand:b', 1, 'fading']]))
    expect(group!.rows.map((r) => [r.relative, r.trend])).toEqual([[1, 'rising'], [0.25, 'fading']])
  })
})
