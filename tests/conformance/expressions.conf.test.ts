/**
 * The engine's expression layer against DynamoDB Local: every case runs on both and must produce the same items or
 * the same error (type and message). Local's known deviations from real DynamoDB are rewritten to the real text
 * first (expressions.support.ts, KNOWN-DIFFERENCES.md).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import fc from 'fast-check'
import type { AttributeValue, Item } from '../../electron/engine/types'
import { ConformanceRig, sameOutcome } from './expressions.support'
import type { ConfCase } from './expressions.support'
import { BASE, CONDITION_CASES, PROJECTION_CASES, QUERY_CASES, UPDATE_CASES } from './expressions.cases'

let rig: ConformanceRig

beforeAll(async () => {
  rig = new ConformanceRig(inject('ddbLocalEndpoint'), 'expr_conf')
  await rig.setup()
})

afterAll(async () => {
  await rig?.teardown()
})

async function expectSame(c: ConfCase) {
  const { remote, local } = await rig.run(c)
  if (!sameOutcome(remote, local)) {
    // Show both sides in full when they differ.
    expect(local).toEqual(remote)
  }
  expect(sameOutcome(remote, local)).toBe(true)
  return remote
}

describe('UpdateItem: engine matches DynamoDB Local', () => {
  it.each(UPDATE_CASES)('%s', async (_name, c) => {
    await expectSame(c)
  })
})

describe('conditional PutItem: engine matches DynamoDB Local', () => {
  it.each(CONDITION_CASES)('%s', async (_name, c) => {
    await expectSame(c)
  })
})

describe('Query with key conditions, filters and projections: engine matches DynamoDB Local', () => {
  it.each(QUERY_CASES)('%s', async (_name, c) => {
    await expectSame(c)
  })
})

describe('GetItem with projections: engine matches DynamoDB Local', () => {
  it.each(PROJECTION_CASES)('%s', async (_name, c) => {
    await expectSame(c)
  })
})

describe('the cases exercise both outcomes', () => {
  it('some cases succeed and some fail on DynamoDB Local', async () => {
    const ok = await rig.run(UPDATE_CASES[0]![1])
    const bad = await rig.run(UPDATE_CASES.find(([n]) => n === 'section twice')![1])
    expect(ok.remote.ok).toBe(true)
    expect(bad.remote.ok).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Random expressions over a small attribute space

const PROP_ITEM: Item = {
  a: { N: '3' },
  b: { S: 'bee' },
  c: { SS: ['x', 'y'] },
  d: { NS: ['1', '2'] },
  m: { M: { a: { N: '1' }, b: { L: [{ S: 'x' }, { N: '2' }] } } },
  l: { L: [{ N: '0' }, { S: 'one' }, { M: { a: { N: '2' } } }] },
}
const PROP_VALUES: Record<string, AttributeValue> = {
  ':n': { N: '2' },
  ':s': { S: 'x' },
  ':ss': { SS: ['x', 'z'] },
  ':ns': { NS: ['2', '3'] },
  ':l': { L: [{ N: '9' }] },
  ':t': { S: 'N' },
}

const pathArb = fc.constantFrom(
  'a',
  'b',
  'c',
  'd',
  'e',
  'm',
  'm.a',
  'm.b',
  'm.b[1]',
  'm.z',
  'l',
  'l[0]',
  'l[2].a',
  'l[5]',
  'q.r',
)
const valueArb = fc.constantFrom(...Object.keys(PROP_VALUES))
const operandArb = fc.oneof(pathArb, valueArb)

const setValueArb = fc.oneof(
  operandArb,
  fc.tuple(operandArb, fc.constantFrom('+', '-'), operandArb).map(([x, op, y]) => `${x} ${op} ${y}`),
  fc.tuple(pathArb, operandArb).map(([p, v]) => `if_not_exists(${p}, ${v})`),
  fc.tuple(operandArb, operandArb).map(([x, y]) => `list_append(${x}, ${y})`),
)
const actionArb = fc.oneof(
  fc.tuple(pathArb, setValueArb).map(([p, v]) => ({ clause: 'SET', text: `${p} = ${v}` })),
  pathArb.map((p) => ({ clause: 'REMOVE', text: p })),
  fc.tuple(pathArb, valueArb).map(([p, v]) => ({ clause: 'ADD', text: `${p} ${v}` })),
  fc.tuple(pathArb, valueArb).map(([p, v]) => ({ clause: 'DELETE', text: `${p} ${v}` })),
)
const updateArb = fc.array(actionArb, { minLength: 1, maxLength: 3 }).map((actions) => {
  const byClause = new Map<string, string[]>()
  for (const a of actions) byClause.set(a.clause, [...(byClause.get(a.clause) ?? []), a.text])
  return [...byClause].map(([clause, texts]) => `${clause} ${texts.join(', ')}`).join(' ')
})

const comparatorArb = fc.constantFrom('=', '<>', '<', '<=', '>', '>=')
const sizeOrOperand = fc.oneof(
  operandArb,
  pathArb.map((p) => `size(${p})`),
)
const atomArb = fc.oneof(
  fc.tuple(sizeOrOperand, comparatorArb, sizeOrOperand).map(([x, op, y]) => `${x} ${op} ${y}`),
  fc.tuple(operandArb, operandArb, operandArb).map(([x, lo, hi]) => `${x} BETWEEN ${lo} AND ${hi}`),
  fc.tuple(operandArb, operandArb, operandArb).map(([x, y, z]) => `${x} IN (${y}, ${z})`),
  pathArb.map((p) => `attribute_exists(${p})`),
  pathArb.map((p) => `attribute_not_exists(${p})`),
  pathArb.map((p) => `attribute_type(${p}, :t)`),
  fc.tuple(operandArb, operandArb).map(([x, y]) => `begins_with(${x}, ${y})`),
  fc.tuple(operandArb, operandArb).map(([x, y]) => `contains(${x}, ${y})`),
)
const conditionArb: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atomArb,
    fc.tuple(tie('c'), fc.constantFrom('AND', 'OR'), tie('c')).map(([x, op, y]) => `${x} ${op} ${y}`),
    tie('c').map((x) => `NOT ${x}`),
    tie('c').map((x) => `(${x})`),
  ),
})).c

function usedValues(...texts: (string | undefined)[]): Record<string, AttributeValue> | undefined {
  const joined = texts.filter(Boolean).join(' ')
  const used = Object.entries(PROP_VALUES).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(joined))
  return used.length ? Object.fromEntries(used) : undefined
}

describe('random expressions: engine matches DynamoDB Local', () => {
  it('update expressions with optional conditions (300 runs)', async () => {
    const differences: unknown[] = []
    let failures = 0
    await fc.assert(
      fc.asyncProperty(updateArb, fc.option(conditionArb, { nil: undefined }), async (update, condition) => {
        const c: ConfCase = {
          op: 'update',
          item: PROP_ITEM,
          update,
          condition,
          values: usedValues(update, condition),
        }
        const { remote, local } = await rig.run(c)
        if (!remote.ok) failures++
        if (!sameOutcome(remote, local, { loosePaths: true }))
          differences.push({ update, condition, remote, local })
      }),
      { numRuns: 300, seed: 20261125 },
    )
    expect(differences).toEqual([])
    // Both outcomes must occur, or the property checks nothing.
    expect(failures).toBeGreaterThan(0)
    expect(failures).toBeLessThan(300)
  })

  it('conditions on PutItem (300 runs)', async () => {
    const differences: unknown[] = []
    let passed = 0
    await fc.assert(
      fc.asyncProperty(conditionArb, async (condition) => {
        const c: ConfCase = {
          op: 'put',
          item: PROP_ITEM,
          put: BASE,
          condition,
          values: usedValues(condition),
        }
        const { remote, local } = await rig.run(c)
        if (remote.ok) passed++
        if (!sameOutcome(remote, local)) differences.push({ condition, remote, local })
      }),
      { numRuns: 300, seed: 4242 },
    )
    expect(differences).toEqual([])
    expect(passed).toBeGreaterThan(0)
  })
})
