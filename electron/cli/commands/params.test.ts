import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../../seeds/cruddur'
import { parseModel } from '../../../shared/domain/model'
import { CliFailure, EXIT } from '../output'
import { collectParam, parseGenerator, wholeNumber } from './params'

const model = parseModel(JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')))
if (!model.ok) throw new Error('invalid model')
const spec = model.model.sampleData!.generator!

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

test('parseGenerator takes counts by generated entity name or label, and the seed', () => {
  expect(parseGenerator('users=10, Conversations=5,messages=40', spec)).toEqual({
    counts: { users: 10, conversations: 5, messages: 40 },
  })
  expect(parseGenerator('seed=7', spec)).toEqual({ seed: 7 })
})

test("parseGenerator with no value keeps the model's counts and seed", () => {
  expect(parseGenerator(true, spec)).toEqual({})
})

test.each([
  ['users=x', /whole number/],
  ['colour=3', /unknown key "colour" \(known: users, conversations, messages, seed\)/],
  // Rows made one per other row have no count of their own.
  ['conversation_rows=3', /unknown key/],
  ['users', /key=value/],
])('parseGenerator rejects %s', (spec_, message) => {
  expect(() => parseGenerator(spec_, spec)).toThrow(message)
})

test('wholeNumber', () => {
  expect(wholeNumber('--limit', 1)('7')).toBe(7)
  expect(() => wholeNumber('--limit', 1)('0')).toThrow(/--limit/)
  expect(() => wholeNumber('--port', 0, 65535)('70000')).toThrow(CliFailure)
})
