import { expect, test } from 'vitest'
import { CliFailure, EXIT } from '../output'
import { collectParam, parseGenerator, wholeNumber } from './params'

const defaults = { users: 20, conversations: 30, messages: 600, seed: 42 }

test('collectParam builds a map and keeps = in values', () => {
  expect(collectParam('b=x=y', collectParam('a=1'))).toEqual({ a: '1', b: 'x=y' })
})

test.each(['novalue', '=x', 'bad name=1'])('collectParam rejects "%s" as a usage error', (v) => {
  expect(() => collectParam(v)).toThrow(CliFailure)
  try {
    collectParam(v)
  } catch (e) {
    expect((e as CliFailure).exitCode).toBe(EXIT.usage)
  }
})

test('collectParam refuses a repeated name', () => {
  expect(() => collectParam('a=2', { a: '1' })).toThrow(/twice/)
})

test('parseGenerator overrides defaults and validates', () => {
  expect(parseGenerator('users=10, conversations=5,messages=40', defaults)).toEqual({
    users: 10,
    conversations: 5,
    messages: 40,
    seed: 42,
  })
  // 5 users make 10 pairs: the default 30 conversations cannot fit.
  expect(() => parseGenerator('users=5', defaults)).toThrow(/1\.\.10/)
})

test('parseGenerator with no value uses the defaults', () => {
  expect(parseGenerator(true, defaults)).toEqual(defaults)
})

test.each([
  ['users=x', /whole number/],
  ['colour=3', /unknown key/],
  ['users=3,conversations=4', /1\.\.3/],
  ['users', /key=value/],
])('parseGenerator rejects %s', (spec, message) => {
  expect(() => parseGenerator(spec, defaults)).toThrow(message)
})

test('wholeNumber', () => {
  expect(wholeNumber('--limit', 1)('7')).toBe(7)
  expect(() => wholeNumber('--limit', 1)('0')).toThrow(/--limit/)
  expect(() => wholeNumber('--port', 0, 65535)('70000')).toThrow(CliFailure)
})

test('wholeNumber states a range a person can read', () => {
  expect(() => wholeNumber('--limit', 1)('0')).toThrow('--limit must be a whole number, 1 or more, got "0"')
  expect(() => wholeNumber('--segments', 1, 1_000_000)('1000001')).toThrow(
    '--segments must be a whole number from 1 to 1,000,000, got "1000001"',
  )
})
