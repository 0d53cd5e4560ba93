/**
 * Malformed requests on the wire, ours vs DynamoDB Local 3.3.1: bad JSON, wrong member types, malformed
 * attribute values, unknown operations and targets. Sent as raw HTTP bodies (an SDK would refuse to send them).
 *
 * DynamoDB Local answers many of these unlike real DynamoDB (500 InternalFailure for unparsable bodies, silently
 * coercing numbers into strings): for those the test states real DynamoDB's answer for ours and pins Local's
 * deviation (KNOWN-DIFFERENCES.md, "Wire").
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import { readFileSync } from 'node:fs'
import { Harness, errorMessage, errorName, expectSame, keyTable, type Wire } from './harness'
import { KNOWN_DIFFERENCE_IDS } from './known-differences'

let h: Harness
let table: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'wire')
  table = h.name('t')
  await h.same('CreateTable', keyTable(table, 'S'))
})

afterAll(async () => {
  await h?.close()
})

const T = 'DynamoDB_20120810'

/** Real DynamoDB's answer for ours, and what DynamoDB Local answers instead. */
interface Real {
  status: number
  type: string
  message?: string
  local: { status: number; type?: string }
}

type Case = [what: string, op: string, body: () => string, real?: Real]

const serialization = (message: string | undefined, local: Real['local']): Real => ({
  status: 400,
  type: 'SerializationException',
  message,
  local,
})
const LOCAL_500 = { status: 500, type: 'InternalFailure' }
const LOCAL_ACCEPTS = { status: 200 }

const cases: Case[] = [
  [
    'truncated JSON',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {`,
    serialization(undefined, LOCAL_500),
  ],
  ['not JSON at all', 'GetItem', () => 'hello', serialization(undefined, LOCAL_500)],
  ['a JSON array', 'ListTables', () => '[]', serialization(undefined, LOCAL_500)],
  ['a JSON string', 'ListTables', () => '"x"', serialization(undefined, LOCAL_500)],
  [
    'TableName as a number',
    'DescribeTable',
    () => '{"TableName": 123}',
    serialization('NUMBER_VALUE cannot be converted to String', {
      status: 400,
      type: 'ResourceNotFoundException',
    }),
  ],
  [
    'Limit as a string',
    'ListTables',
    () => '{"Limit": "5"}',
    serialization('STRING_VALUE cannot be converted to Integer', LOCAL_ACCEPTS),
  ],
  [
    'Key as a string',
    'GetItem',
    () => `{"TableName": "${table}", "Key": "x"}`,
    serialization(undefined, LOCAL_500),
  ],
  [
    'S holding a number',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": 1}}}`,
    serialization('NUMBER_VALUE cannot be converted to String', LOCAL_ACCEPTS),
  ],
  [
    'N holding a number',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "n": {"N": 5}}}`,
    serialization('NUMBER_VALUE cannot be converted to String', LOCAL_ACCEPTS),
  ],
  [
    'B that is not base64',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "v": {"B": "%%%"}}}`,
    serialization(undefined, LOCAL_500),
  ],
  // Real DynamoDB's JSON reader converts "true" to a boolean and floors a fractional integer, as Local does.
  [
    'BOOL as the string "true"',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "bool"}, "v": {"BOOL": "true"}}}`,
  ],
  // A Query, not a Scan: Scan order differs between the two (KNOWN-DIFFERENCES.md, scan-order).
  [
    'Limit as a fraction',
    'Query',
    () =>
      `{"TableName": "${table}", "KeyConditionExpression": "h = :h", "ExpressionAttributeValues": {":h": {"S": "nothing"}}, "Limit": 1.5}`,
  ],
  [
    'a value with two types',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "v": {"S": "a", "N": "1"}}}`,
  ],
  ['a value with no type', 'PutItem', () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "v": {}}}`],
  [
    'an unknown value type',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "v": {"X": "a"}}}`,
  ],
  [
    'NULL false',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}, "v": {"NULL": false}}}`,
  ],
  ['an unknown top-level member', 'DescribeTimeToLive', () => `{"TableName": "${table}", "Bogus": 1}`],
  ['no TableName', 'GetItem', () => '{"Key": {"h": {"S": "a"}}}'],
  [
    'ReturnValues not in the enum',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}}, "ReturnValues": "SOME"}`,
  ],
  [
    'ReturnValues ALL_NEW on PutItem',
    'PutItem',
    () => `{"TableName": "${table}", "Item": {"h": {"S": "a"}}, "ReturnValues": "ALL_NEW"}`,
  ],
  ['an unknown operation', 'Frobnicate', () => '{}'],
]

function expectReal(pair: { ours: Wire; local: Wire }, real: Real, what: string) {
  expect({ status: pair.ours.status, type: errorName(pair.ours) }, `${what}: ours`).toEqual({
    status: real.status,
    type: real.type,
  })
  if (real.message !== undefined) expect(errorMessage(pair.ours), `${what}: ours`).toBe(real.message)
  // DynamoDB Local's own answer, pinned so a Local upgrade that fixes it shows up here.
  expect(
    { status: pair.local.status, ...(real.local.type ? { type: errorName(pair.local) } : {}) },
    `${what}: DynamoDB Local`,
  ).toEqual(real.local)
}

describe('malformed requests', () => {
  test.each(cases)('%s (%s)', async (what, op, body, real) => {
    const pair = await h.raw(`${T}.${op}`, body())
    if (real) expectReal(pair, real, `${op} with ${what}`)
    else expectSame(pair, `${op} with ${what}`)
  })

  test('an empty body reads as {} (real DynamoDB); DynamoDB Local fails with 500', async () => {
    const pair = await h.raw(`${T}.DescribeTimeToLive`, '')
    expect(pair.local.status).toBe(500)
    expect(pair.ours.status).toBe(400)
    expect(errorMessage(pair.ours)).toBe(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    )
  })

  test.each([
    ['an unknown service version', 'DynamoDB_20990101.ListTables', { status: 400, type: 'InvalidAction' }],
    ['a target without an operation', T, LOCAL_500],
  ])('%s: UnknownOperationException', async (what, target, local) => {
    const pair = await h.raw(target, '{}')
    expectReal(pair, { status: 400, type: 'UnknownOperationException', local }, what)
  })
})

test('every known-difference rule is documented in KNOWN-DIFFERENCES.md', () => {
  const doc = readFileSync(new URL('./KNOWN-DIFFERENCES.md', import.meta.url), 'utf8')
  const undocumented = KNOWN_DIFFERENCE_IDS.filter((id) => !doc.includes(`| ${id} `))
  expect(undocumented).toEqual([])
  expect(KNOWN_DIFFERENCE_IDS.length).toBeGreaterThan(10)
})
