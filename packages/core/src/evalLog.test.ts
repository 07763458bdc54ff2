// The event log reader of `npm run eval -- --data events.csv` (scripts/eval/log.mjs): what a
// storefront exports from its own analytics must be read as documented, or say why not.
import { describe, expect, it } from 'vitest'
import { parseLog } from '../../../scripts/eval/log.mjs'

describe('npm run eval: the event log CSV', () => {
  it('reads the columns in any order, quoted fields, extra columns, and every documented timestamp form', () => {
    const log = parseLog(
      [
        'type,category,extra,item,user,timestamp',
        'view,hiking/boots,x,boots-1,ann,1767600000000',
        '"cart","gym/weights, heavy",y,"db-2",ann,1767600060',
        'buy,hiking/boots,z,boots-1,ann,2026-01-05T08:05:00Z',
        'pv,123,,item-9,bob,1767600000',
        '',
      ].join('\r\n'),
    )
    expect(log.events).toBe(4)
    expect(log.skipped.size).toBe(0)
    expect(log.users.get('ann')).toEqual([
      { t: 1767600000000, type: 'view', item: { id: 'boots-1', category: 'hiking/boots' } },
      { t: 1767600060000, type: 'add_to_cart', item: { id: 'db-2', category: 'gym/weights, heavy' } },
      { t: Date.UTC(2026, 0, 5, 8, 5), type: 'purchase', item: { id: 'boots-1', category: 'hiking/boots' } },
    ])
    // A flat category id, as a marketplace export has; the short spellings of the common types.
    expect(log.users.get('bob')).toEqual([{ t: 1767600000000, type: 'view', item: { id: 'item-9', category: '123' } }])
  })

  it('understands the common spellings of favourites, carts and purchases', () => {
    const types = ['fav', 'favorite', 'favourite', 'wishlist', 'addtocart', 'add_to_cart', 'transaction', 'order', 'purchase', 'click', 'pageview']
    const log = parseLog(['user,timestamp,item,category,type', ...types.map((type, i) => `u,${1767600000000 + i},i${i},c,${type}`)].join('\n'))
    expect(log.users.get('u')!.map((e) => e.type)).toEqual([
      'wishlist', 'wishlist', 'wishlist', 'wishlist', 'add_to_cart', 'add_to_cart', 'purchase', 'purchase', 'purchase', 'click', 'view',
    ])
  })

  it('orders each shopper’s events by time, and counts the lines of a type it does not know instead of guessing', () => {
    const log = parseLog('user,timestamp,item,category,type\nu,30,a,c,view\nu,10,b,c,view\nu,20,c,c,share\nu,25,d,c,share\nu,15,e,c,refund\n')
    expect(log.users.get('u')!.map((e) => e.item.id)).toEqual(['b', 'a'])
    expect([...log.skipped]).toEqual([['share', 2], ['refund', 1]])
  })

  it('names the missing column, and the line and value of a timestamp it cannot read', () => {
    expect(() => parseLog('user,time,item,category,type\nu,1,a,c,view\n')).toThrow(/no "timestamp" column \(it has: user, time, item, category, type\)/)
    expect(() => parseLog('user,timestamp,item,category,type\nu,1,a,c,view\nu,yesterday,b,c,view\n')).toThrow('line 3: timestamp "yesterday" is neither a number nor a date')
  })
})
