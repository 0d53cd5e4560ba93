import { describe, expect, test } from 'vitest'
import { didYouMean, editDistance, nearestNames } from './suggest'

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['messages', 'mesages', 1],
    // A swap of two neighbours is one edit, not two.
    ['group', 'gruop', 1],
    ['ab', 'ba', 1],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })
})

describe('nearestNames', () => {
  const tables = ['cruddur-messages', 'cruddur-users', 'orders', 'order-items']

  test('a typo finds the table, nearest first', () => {
    expect(nearestNames('cruddur-mesages', tables)).toEqual(['cruddur-messages'])
    expect(nearestNames('order', tables)).toEqual(['orders'])
    expect(nearestNames('ordr-items', tables)).toEqual(['order-items'])
  })

  test('case does not count, and an exact match in another case comes first', () => {
    expect(nearestNames('a', ['A', 'A2', 'B'])).toEqual(['A'])
    expect(nearestNames('a', ['A2', 'B'])).toEqual(['A2'])
    expect(nearestNames('ORDERS', tables)[0]).toBe('orders')
  })

  test('names far from every candidate give nothing', () => {
    expect(nearestNames('zzzzzz', tables)).toEqual([])
    expect(nearestNames('x', ['group', 'year'])).toEqual([])
  })

  test('a prefix of a longer name finds it', () => {
    expect(nearestNames('cruddur', tables)).toEqual(['cruddur-messages', 'cruddur-users'])
  })

  test('at most `limit` names', () => {
    expect(nearestNames('a', ['a1', 'a2', 'a3', 'a4'], 2)).toEqual(['a1', 'a2'])
  })
})

test('didYouMean phrases one, several, or none', () => {
  expect(didYouMean('grup', ['group', 'year'])).toBe(' Did you mean "group"?')
  expect(didYouMean('a', ['A2', 'A3', 'B'])).toBe(' Did you mean "A2" or "A3"?')
  expect(didYouMean('x', ['x1', 'x2', 'x3'])).toBe(' Did you mean "x1", "x2" or "x3"?')
  expect(didYouMean('zzz', ['group'])).toBe('')
})
