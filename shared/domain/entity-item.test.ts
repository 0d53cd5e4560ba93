import { describe, expect, it } from 'vitest'
import { parseExactJson } from './attribute-json'
import { entityItemDraft, entityParams } from './entity-item'

const order = {
  keys: { pk: 'CUST#{customer}', sk: 'ORDER#{order}', gsi1pk: 'ORDER#{order}' },
  attributes: [
    { name: 'status', type: 'S' as const },
    { name: 'total', type: 'N' as const },
    { name: 'gift', type: 'BOOL' as const },
    { name: 'lines', type: 'L' as const },
    { name: 'tags', type: 'SS' as const },
    { name: 'pk', type: 'S' as const },
  ],
}

describe('entityItemDraft', () => {
  it('names each template parameter once, in order', () => {
    expect(entityParams(order)).toEqual(['customer', 'order'])
  })

  it('composes every key from its template and gives declared attributes an empty value of their type', () => {
    const { text, missing } = entityItemDraft(order, { customer: 'ann', order: '7' }, { pk: 'S', sk: 'S' })
    expect(missing).toEqual([])
    expect(JSON.parse(text)).toEqual({
      pk: 'CUST#ann',
      sk: 'ORDER#7',
      gsi1pk: 'ORDER#7',
      status: '',
      total: 0,
      gift: false,
      lines: [],
    })
  })

  it('leaves a parameter without a value as {name} and lists it', () => {
    const { text, missing } = entityItemDraft(order, { customer: 'ann' }, {})
    expect(missing).toEqual(['order'])
    expect(JSON.parse(text)).toMatchObject({ pk: 'CUST#ann', sk: 'ORDER#{order}' })
  })

  it('writes a number key that is one parameter as a number, digit for digit', () => {
    const big = '12345678901234567890123456789012345678'
    const { text } = entityItemDraft(
      { keys: { id: '{id}', sk: 'V#{id}' } },
      { id: big },
      { id: 'N', sk: 'S' },
    )
    expect(text).toContain(`"id": ${big}`)
    expect(String((parseExactJson(text) as Record<string, unknown>).id)).toBe(big)
    expect((parseExactJson(text) as Record<string, unknown>).sk).toBe(`V#${big}`)
  })
})
