import { describe, expect, it } from 'vitest'
import type { Handlers } from './contract'
import { dispatch, MAX_INPUT_DEPTH, nestingDepth } from './dispatch'

/** A map attribute value wrapped `levels` times, as DynamoDB JSON: {"M": {"a": {"M": …}}}. */
function nestedMap(levels: number): unknown {
  let value: unknown = { S: 'leaf' }
  for (let i = 0; i < levels; i++) value = { M: { a: value } }
  return value
}

const calls: unknown[] = []
const handlers = {
  'app:info': () => Promise.resolve({ name: 'Tablewright', version: 'test', host: 'browser' }),
  'items:put': (input: unknown) => {
    calls.push(input)
    return Promise.resolve({ item: {} })
  },
} as unknown as Handlers

const putInput = (value: unknown) => ({
  connectionId: 'embedded',
  tableName: 'deep-table',
  item: { pk: { S: 'p' }, deep: value },
})

describe('dispatch', () => {
  it('answers input nested 1,000 levels deep with input.invalid instead of overflowing the stack', async () => {
    calls.length = 0
    const result = await dispatch(handlers, 'items:put', putInput(nestedMap(1000)))
    expect(result).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(!result.ok && result.message).toContain(`more than ${MAX_INPUT_DEPTH} levels deep`)
    expect(calls).toHaveLength(0)
  })

  it('still accepts an item nested as deep as DynamoDB allows (32 levels)', async () => {
    calls.length = 0
    const result = await dispatch(handlers, 'items:put', putInput(nestedMap(31)))
    expect(result).toMatchObject({ ok: true })
    expect(calls).toHaveLength(1)
  })

  it('answers a cyclic input (IPC can carry one) without looping', async () => {
    const members: Record<string, unknown> = {}
    const cyclic = { M: members }
    members.again = cyclic
    const result = await dispatch(handlers, 'items:put', putInput(cyclic))
    expect(result).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(!result.ok && result.message).toContain('contains itself')
  })

  it('never rejects, even when the unexpected-error reporter throws', async () => {
    const broken = {
      'app:info': () => Promise.reject(new Error('handler bug')),
    } as unknown as Handlers
    const result = await dispatch(broken, 'app:info', {}, () => {
      throw new Error('reporter bug')
    })
    expect(result).toMatchObject({ ok: false, code: 'internal', message: 'handler bug' })
  })

  it('answers a handler that throws a non-Error with a coded internal result', async () => {
    const broken = { 'app:info': () => Promise.reject(Object.create(null) as object) } as unknown as Handlers
    const seen: unknown[] = []
    const result = await dispatch(broken, 'app:info', {}, (err) => seen.push(err))
    expect(result).toMatchObject({ ok: false, code: 'internal' })
    expect(seen).toHaveLength(1)
  })
})

describe('nestingDepth', () => {
  it('counts objects and arrays inside each other, scalars not', () => {
    expect(nestingDepth('x')).toBe(0)
    expect(nestingDepth({})).toBe(1)
    expect(nestingDepth({ a: [1, { b: null }] })).toBe(3)
    expect(nestingDepth([[[[]]], {}])).toBe(4)
  })

  it('measures an object shared by two members once, and a cycle as infinitely deep', () => {
    const shared = { a: { b: {} } }
    expect(nestingDepth({ x: shared, y: [shared] })).toBe(5)
    const loop: unknown[] = []
    loop.push({ back: loop })
    expect(nestingDepth({ loop })).toBe(Infinity)
  })

  it('stops counting once past the limit', () => {
    expect(nestingDepth(nestedMap(10_000), 10)).toBe(11)
  })
})
