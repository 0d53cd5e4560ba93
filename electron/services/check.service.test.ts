import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AccessPattern, TableSpec, WriteRecipe, type Model } from '../../shared/domain/model'
import { checkToJunit } from './check.junit'
import {
  checkParams,
  checkPrefix,
  checkStartedAt,
  setAsideFaultyPatterns,
  type CheckReport,
} from './check.service'
import { handlerWriteUnits, recipeCapacity, unitsOf } from './cost.service'

describe('check prefixes', () => {
  it("carry the run's start time, which tells an interrupted run's tables from a running one's", () => {
    const at = new Date(Date.UTC(2026, 11, 6, 1, 2, 3, 456))
    const prefix = checkPrefix(at, 'ab12')
    expect(prefix).toBe('twcheck-20261206T010203Z-ab12-')
    expect(checkStartedAt(`${prefix}orders`)).toEqual(new Date(Date.UTC(2026, 11, 6, 1, 2, 3)))
    expect(checkStartedAt('orders')).toBeUndefined()
    expect(checkStartedAt('twcheck-notatime-x-orders')).toBeUndefined()
  })
})

describe('setAsideFaultyPatterns', () => {
  const cruddur = () =>
    JSON.parse(readFileSync(path.join(import.meta.dirname, '../../seeds/cruddur/model.json'), 'utf8')) as {
      accessPatterns: Record<string, unknown>[]
      tables: Record<string, unknown>[]
    }

  it('sets aside a pattern on a missing index as a failing row, and what read through it', () => {
    const m = cruddur()
    m.accessPatterns.find((p) => p.id === 'B')!.index = 'nope'
    const r = setAsideFaultyPatterns(m)!
    expect(r.model.accessPatterns.map((p) => p.id)).toEqual(['A', 'A2', 'C', 'D'])
    expect(r.rows).toEqual([
      expect.objectContaining({
        id: 'B',
        passed: false,
        index: 'nope',
        reasons: ['model.invalid: accessPatterns[2].index: table "cruddur-messages" has no index "nope"'],
        note: "set aside, so the check left out recipe send-message's postcondition read through it",
      }),
    ])
    // The recipe keeps its other postcondition (through A).
    const send = r.model.recipes.find((x) => x.id === 'send-message')!
    expect((send.expectations as { after: { pattern: string }[] }).after.map((a) => a.pattern)).toEqual(['A'])
  })

  it('leaves a valid model, or one faulty elsewhere, to the ordinary load', () => {
    expect(setAsideFaultyPatterns(cruddur())).toBeUndefined()
    const m = cruddur()
    m.tables[0]!.keySchema = []
    expect(setAsideFaultyPatterns(m)).toBeUndefined()
    expect(setAsideFaultyPatterns('not a model')).toBeUndefined()
  })
})

describe('checkParams', () => {
  it('uses expectations.params, leaves defaults and generated types alone, and fills required text', () => {
    const p = AccessPattern.parse({
      id: 'send',
      name: 'Send',
      operation: 'PutItem',
      table: 'tbl',
      params: [
        { name: 'group', type: 'uuid' },
        { name: 'text', type: 'string' },
        { name: 'who', type: 'handle' },
        { name: 'n', type: 'number' },
        { name: 'lang', type: 'string', default: 'en' },
        { name: 'note', type: 'string', required: false },
      ],
      item: { pk: 'G#{group}', text: '{text}' },
      expectations: { params: { who: 'alice' } },
    })
    expect(checkParams(p)).toEqual({ who: 'alice', text: 'checked by tablewright (send)', n: 1 })
  })
})

const report = (rows: CheckReport['rows']): CheckReport => ({
  model: 'm<&>',
  target: 'throwaway engine',
  rows,
  passed: rows.filter((r) => r.passed).length,
  failed: rows.filter((r) => !r.passed).length,
  skipped: 0,
  notApplicable: 0,
  data: 'sample',
  ok: rows.every((r) => r.passed),
  removedLeftovers: [],
})

describe('JUnit XML', () => {
  it('one testcase per row, a failure with the reasons for each failing one, everything escaped', () => {
    const xml = checkToJunit(
      report([
        {
          kind: 'pattern',
          id: 'A',
          name: 'ok',
          passed: true,
          reasons: [],
          expectations: [],
          consumedCapacity: 1,
        },
        {
          kind: 'pattern',
          id: 'B',
          name: 'bad "one"',
          passed: false,
          reasons: ['ordered by sk asc: item 1 <out of order>', 'second'],
          expectations: [],
        },
      ]),
    )
    expect(xml).toContain('<testsuite name="tablewright check m&lt;&amp;&gt;" tests="2" failures="1"')
    expect(xml).toContain('<testcase classname="m&lt;&amp;&gt;.pattern" name="A: ok">')
    expect(xml).toContain('name="B: bad &quot;one&quot;"')
    expect(xml).toContain(
      '<failure message="ordered by sk asc: item 1 &lt;out of order&gt;" type="expectation">ordered by sk asc: item 1 &lt;out of order&gt;\nsecond</failure>',
    )
    expect(xml.match(/<testcase /g)).toHaveLength(2)
  })
})

const table = TableSpec.parse({
  name: 'tbl',
  attributeDefinitions: [
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'S' },
    { attributeName: 'g', attributeType: 'S' },
  ],
  keySchema: [
    { attributeName: 'pk', keyType: 'HASH' },
    { attributeName: 'sk', keyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      indexName: 'by-g',
      keySchema: [
        { attributeName: 'g', keyType: 'HASH' },
        { attributeName: 'sk', keyType: 'RANGE' },
      ],
      projection: { projectionType: 'ALL' },
    },
  ],
})
const model = {
  name: 'm',
  tables: [table],
  entities: [],
  accessPatterns: [],
  streamHandlers: [],
} as unknown as Model

describe('capacity from the engine and from handler steps', () => {
  it('ReturnConsumedCapacity INDEXES splits into table, GSIs and LSIs', () => {
    expect(
      unitsOf({
        TableName: 'tbl',
        CapacityUnits: 3,
        Table: { CapacityUnits: 1 },
        GlobalSecondaryIndexes: { 'by-g': { CapacityUnits: 2 } },
      }),
    ).toEqual({ table: 1, gsis: { 'by-g': 2 }, lsis: {} })
    expect(unitsOf({ TableName: 'tbl', CapacityUnits: 0.5 })).toEqual({ table: 0.5, gsis: {}, lsis: {} })
    expect(unitsOf(undefined)).toEqual({ table: 0, gsis: {}, lsis: {} })
  })

  it('a transactional move (delete + put of a row in the GSI) is 2 × (1 + 1) on the table and on the GSI', () => {
    const row = { pk: 'G#1', sk: '2026-01', g: 'x', text: 'hello' }
    const units = handlerWriteUnits(model, [
      { kind: 'query', request: { TableName: 'tbl', IndexName: 'by-g' }, items: [row] },
      {
        kind: 'transact',
        request: {},
        writes: [
          { op: 'Put', table: 'tbl', item: { ...row, sk: '2026-02' } },
          // The delete names only the key: it is charged as the full row the handler read (so in the GSI too).
          { op: 'Delete', table: 'tbl', item: { pk: 'G#1', sk: '2026-01' } },
        ],
      },
    ])
    expect(units).toEqual({ table: 4, gsis: { 'by-g': 4 }, lsis: {} })
  })

  it('plain puts and deletes count once; rows outside the GSI cost it nothing', () => {
    const units = handlerWriteUnits(model, [
      { kind: 'put', request: { TableName: 'tbl' }, after: { pk: 'M#1', sk: '1', text: 'x' } },
      { kind: 'delete', request: { TableName: 'tbl' }, before: { pk: 'M#1', sk: '0', g: 'y' } },
      { kind: 'log', level: 'log', text: 'done' },
    ])
    expect(units).toEqual({ table: 2, gsis: { 'by-g': 1 }, lsis: {} })
  })
})

describe('recipe capacity from its steps', () => {
  const recipe = (mode: 'auto' | 'steps') =>
    WriteRecipe.parse({
      id: 'move',
      name: 'Move a row',
      mode,
      params: [{ name: 'text', type: 'string' }],
      steps: [
        { op: 'Put', table: 'tbl', item: { pk: 'G#1', sk: '2026-02', g: 'x', text: '{text}' } },
        { op: 'Delete', table: 'tbl', key: { pk: 'G#1', sk: '2026-01' } },
      ],
    })
  const sample = { tbl: [{ pk: 'G#1', sk: '2026-01', g: 'x', text: 'old' }] }

  it('two steps in auto mode are one transaction: every write doubled, the deleted row found in the sample', () => {
    const c = recipeCapacity(model, recipe('auto'), sample)
    expect(c.error).toBeUndefined()
    expect(c.writes).toEqual({ table: 4, gsis: { 'by-g': 4 }, lsis: {} })
  })

  it('step by step, each write counts once', () => {
    expect(recipeCapacity(model, recipe('steps'), sample).writes).toEqual({
      table: 2,
      gsis: { 'by-g': 2 },
      lsis: {},
    })
  })
})
