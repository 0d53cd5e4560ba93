import { describe, expect, it } from 'vitest'
import { contract } from './contract'
import { events } from './events'
import { CHANNEL_NAMES, EVENT_NAMES } from './names'

const sorted = (names: readonly string[]) => [...names].sort()

describe('the zod-free name lists', () => {
  it("list exactly the contract's channels, once each", () => {
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length)
    expect(sorted(CHANNEL_NAMES)).toEqual(sorted(Object.keys(contract)))
  })

  it('list exactly the events, once each', () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length)
    expect(sorted(EVENT_NAMES)).toEqual(sorted(Object.keys(events)))
  })
})
