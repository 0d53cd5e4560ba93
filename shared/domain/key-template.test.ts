import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  entitySpecificity,
  formatKeyTemplate,
  KeyTemplateError,
  matchEntityKeys,
  matchKeyTemplate,
  parseKeyTemplate,
  templatePrefix,
} from './key-template'

describe('key templates', () => {
  test('parse MSG#{message_group_uuid}', () => {
    const t = parseKeyTemplate('MSG#{message_group_uuid}')
    expect(t.segments).toEqual([
      { kind: 'literal', text: 'MSG#' },
      { kind: 'param', name: 'message_group_uuid' },
    ])
    expect(t.params).toEqual(['message_group_uuid'])
    expect(templatePrefix(t)).toBe('MSG#')
  })

  test('rejects malformed templates', () => {
    expect(() => parseKeyTemplate('MSG#{oops')).toThrow(KeyTemplateError)
    expect(() => parseKeyTemplate('MSG#}')).toThrow(KeyTemplateError)
    expect(() => parseKeyTemplate('{a}{b}')).toThrow(/literal between/)
    expect(() => parseKeyTemplate('X#{1bad}')).toThrow(/bad parameter/)
  })

  test('format fills values and keeps a lone number a number', () => {
    expect(formatKeyTemplate('MSG#{g}', { g: 'abc' })).toBe('MSG#abc')
    expect(formatKeyTemplate('{n}', { n: 7 })).toBe(7)
    expect(formatKeyTemplate('ORDER#{n}', { n: 7 })).toBe('ORDER#7')
    expect(() => formatKeyTemplate('MSG#{g}', {})).toThrow(/missing value for \{g\}/)
  })

  test('match extracts parameters, or gives undefined', () => {
    expect(matchKeyTemplate('MSG#{g}', 'MSG#123')).toEqual({ g: '123' })
    expect(matchKeyTemplate('MSG#{g}', 'GRP#123')).toBeUndefined()
    expect(matchKeyTemplate('A#{x}#{y}', 'A#1#2#3')).toEqual({ x: '1', y: '2#3' })
    expect(matchKeyTemplate('USER', 'USER')).toEqual({})
  })

  test('format then match round-trips for values without the separator', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        fc.stringMatching(/^[a-z0-9:.+-]{1,30}$/),
        (a, b) => {
          const tpl = 'P#{a}#S#{b}'
          const text = String(formatKeyTemplate(tpl, { a, b }))
          expect(matchKeyTemplate(tpl, text)).toEqual({ a, b })
        },
      ),
    )
  })

  test('match an item to an entity', () => {
    const message = { pk: 'MSG#{message_group_uuid}', sk: '{created_at}' }
    const conversation = { pk: 'GRP#{owner_user_uuid}', sk: '{last_message_at}' }
    const item = { pk: 'MSG#g1', sk: '2026-11-25T10:16:39.867915+00:00', message: 'hi' }
    expect(matchEntityKeys(message, item)).toEqual({ message_group_uuid: 'g1', created_at: item.sk })
    expect(matchEntityKeys(conversation, item)).toBeUndefined()
    expect(matchEntityKeys(message, { pk: 'MSG#g1' })).toBeUndefined()
    expect(entitySpecificity(message)).toBe(4)
  })
})
