import { describe, expect, it } from 'vitest'
import { reaskDelay, type Asked } from './reask'

const source = {}
const asked = (over: Partial<Asked> = {}): Asked => ({
  view: [source, 'idx', ''],
  loaded: 500,
  done: false,
  at: 1000,
  ...over,
})

describe('when the visualizer asks for its view again', () => {
  it('asks at once the first time, for another view, and at the end of a load', () => {
    expect(reaskDelay(undefined, asked(), 1000, 1000)).toBe(0)
    expect(reaskDelay(asked(), { ...asked(), view: [source, 'idx', 'filter'] }, 1100, 1000)).toBe(0)
    expect(reaskDelay(asked(), { ...asked(), view: [{}, 'idx', ''] }, 1100, 1000)).toBe(0)
    expect(reaskDelay(asked(), { ...asked(), loaded: 100_000, done: true }, 1100, 1000)).toBe(0)
  })

  it('asks again for a load’s progress at most once a second', () => {
    expect(reaskDelay(asked(), { ...asked(), loaded: 3000 }, 1200, 1000)).toBe(800)
    expect(reaskDelay(asked(), { ...asked(), loaded: 3000 }, 2500, 1000)).toBe(0)
  })

  it('does not ask when nothing changed', () => {
    expect(reaskDelay(asked(), asked(), 5000, 1000)).toBeUndefined()
  })
})
