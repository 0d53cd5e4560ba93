import { describe, expect, test } from 'vitest'
import {
  durationMs,
  generateData,
  generatorCounts,
  type GeneratorError,
  prng,
  zipfSampler,
} from './generator'
import { parseModel, type GeneratedEntity, type ModelInput } from './model'

type EntityInput = Omit<Partial<GeneratedEntity>, 'fields'> & {
  name: string
  fields?: Record<string, unknown>
}

/** A one-table model whose generator is `entities`; `Row` is a stored entity keyed pk = ROW#{id}. */
function modelWith(entities: EntityInput[], seed = 1): ModelInput {
  return {
    name: 'gen',
    tables: [
      {
        name: 'gen-table',
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      },
    ],
    entities: [{ name: 'Row', table: 'gen-table', keys: { pk: 'ROW#{id}' } }],
    sampleData: { generator: { seed, entities } },
  } as ModelInput
}

function parse(input: ModelInput) {
  const parsed = parseModel(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.model
}

/** Rows of one stored entity with the given fields (plus a sequence id). */
function rowsOf(fields: Record<string, unknown>, count = 200, seed = 1) {
  const model = parse(
    modelWith(
      [{ name: 'rows', entity: 'Row', count, fields: { id: { kind: 'sequence' }, ...fields } }],
      seed,
    ),
  )
  return generateData(model).items['gen-table']!
}

function issuesOf(input: ModelInput) {
  const parsed = parseModel(input)
  return parsed.ok ? [] : parsed.issues
}

describe('field kinds', () => {
  test('uuid: v4-shaped and distinct', () => {
    const rows = rowsOf({ u: { kind: 'uuid' } })
    for (const r of rows)
      expect(r.u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(rows.map((r) => r.u)).size).toBe(rows.length)
  })

  test('sequence: numbers from start by step, or padded text with a prefix', () => {
    expect(rowsOf({ n: { kind: 'sequence', start: 10, step: 5 } }, 3).map((r) => r.n)).toEqual([10, 15, 20])
    expect(rowsOf({ n: { kind: 'sequence', prefix: 'ORDER#', pad: 4 } }, 2).map((r) => r.n)).toEqual([
      'ORDER#0001',
      'ORDER#0002',
    ])
    expect(rowsOf({}, 3).map((r) => r.pk)).toEqual(['ROW#1', 'ROW#2', 'ROW#3'])
  })

  test('pick uniform: only listed values, each of them seen', () => {
    const values = rowsOf({ v: { kind: 'pick', values: ['a', 'b', 'c'] } }, 300).map((r) => r.v)
    expect(new Set(values)).toEqual(new Set(['a', 'b', 'c']))
  })

  test('pick weighted: a zero weight never comes up, a heavy one dominates', () => {
    const values = rowsOf(
      { v: { kind: 'pick', values: ['x', 'y', 'z'], distribution: 'weighted', weights: [9, 1, 0] } },
      1000,
    ).map((r) => r.v)
    expect(values).not.toContain('z')
    expect(values.filter((v) => v === 'x').length).toBeGreaterThan(values.filter((v) => v === 'y').length * 4)
  })

  test('pick zipf: the first value is the most frequent, far above the last', () => {
    const values = rowsOf(
      { v: { kind: 'pick', values: [1, 2, 3, 4, 5, 6, 7, 8], distribution: 'zipf', skew: 1.2 } },
      2000,
    ).map((r) => r.v)
    const count = (x: number) => values.filter((v) => v === x).length
    expect(count(1)).toBeGreaterThan(4 * count(8))
  })

  test('number: in range, with the decimals asked for', () => {
    for (const r of rowsOf({ n: { kind: 'number', min: 1, max: 2, decimals: 2 } })) {
      expect(r.n).toBeGreaterThanOrEqual(1)
      expect(r.n).toBeLessThanOrEqual(2)
      expect(String(r.n)).toMatch(/^\d(\.\d{1,2})?$/)
    }
  })

  test('personName and handle: distinct names; the handle is the name, lower case, plus the row number', () => {
    const rows = rowsOf({ name: { kind: 'personName' }, h: { kind: 'handle', from: 'name' } }, 50)
    expect(new Set(rows.map((r) => r.name)).size).toBe(50)
    expect(rows[0]!.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    rows.forEach((r, i) =>
      expect(r.h).toBe(
        `${String(r.name)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')}${i}`,
      ),
    )
  })

  test('sentence: one entry of each part joined, or filler words when the model gives none', () => {
    const rows = rowsOf({
      s: {
        kind: 'sentence',
        parts: [
          ['Hi', 'Hello'],
          ['there', 'all'],
        ],
        separator: ' ',
      },
      f: { kind: 'sentence' },
    })
    for (const r of rows) {
      expect(r.s).toMatch(/^(Hi|Hello) (there|all)$/)
      expect(r.f).toMatch(/^[A-Z][a-z]+( [a-z]+){4,9}\.$/)
    }
  })

  test('time: each value is the previous plus step plus up to jitter, written in the declared format', () => {
    const rows = rowsOf(
      {
        t: {
          kind: 'time',
          start: '2026-01-01T00:00:00Z',
          step: '1m',
          jitter: '30s',
          format: 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00',
        },
      },
      100,
    )
    let previous = Date.parse('2026-01-01T00:00:00Z')
    for (const r of rows) {
      expect(r.t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/)
      const ms = Date.parse(String(r.t))
      expect(ms - previous).toBeGreaterThanOrEqual(60_000)
      expect(ms - previous).toBeLessThan(90_000)
      previous = ms
    }
  })

  test('time per key: one increasing series per value of another field', () => {
    const rows = rowsOf(
      {
        k: { kind: 'pick', values: ['a', 'b', 'c'] },
        t: { kind: 'time', start: '2026-01-01T00:00:00.000Z', step: 1000, offset: '1h', per: 'k' },
      },
      300,
    )
    const last = new Map<unknown, string>()
    for (const r of rows) {
      const before = last.get(r.k)
      if (before) expect(String(r.t) > before).toBe(true)
      last.set(r.k, String(r.t))
    }
    expect(last.size).toBe(3)
  })

  test('ref: a field of another generated entity, distinct from another ref when asked', () => {
    const model = parse(
      modelWith([
        { name: 'people', count: 4, fields: { who: { kind: 'sequence', prefix: 'P' } } },
        {
          name: 'rows',
          entity: 'Row',
          count: 200,
          fields: {
            id: { kind: 'sequence' },
            a: { kind: 'ref', entity: 'people', field: 'who' },
            b: { kind: 'ref', entity: 'people', field: 'who', distinctFrom: ['a'] },
            turn: { kind: 'ref', entity: 'people', field: 'who', distribution: 'sequential' },
          },
        },
      ]),
    )
    const rows = generateData(model).items['gen-table']!
    expect(new Set(rows.map((r) => r.a))).toEqual(new Set(['P1', 'P2', 'P3', 'P4']))
    for (const r of rows) expect(r.a).not.toBe(r.b)
    expect(rows.slice(0, 5).map((r) => r.turn)).toEqual(['P1', 'P2', 'P3', 'P4', 'P1'])
  })

  test('copy and oneOf: values through a referenced row; only the entity attributes are stored', () => {
    const input = modelWith([
      {
        name: 'people',
        count: 3,
        fields: { name: { kind: 'personName' }, age: { kind: 'number', min: 1, max: 9 } },
      },
      {
        name: 'rows',
        entity: 'Row',
        count: 50,
        fields: {
          id: { kind: 'sequence' },
          p: { kind: 'ref', entity: 'people' },
          q: { kind: 'ref', entity: 'people' },
          name: { kind: 'copy', from: 'p.name' },
          either: { kind: 'oneOf', from: ['p.name', 'q.name'] },
          kind: { kind: 'constant', value: 'row' },
        },
      },
    ])
    ;(input.entities![0] as { attributes?: unknown }).attributes = [
      { name: 'name', type: 'S' },
      { name: 'either', type: 'S' },
      { name: 'kind', type: 'S' },
    ]
    const data = generateData(parse(input))
    const people = data.rows.people!
    for (const [i, r] of data.items['gen-table']!.entries()) {
      expect(Object.keys(r).sort()).toEqual(['either', 'kind', 'name', 'pk'])
      const row = data.rows.rows![i]!
      expect(r.name).toBe((row.p as { name: string }).name)
      expect([(row.p as { name: string }).name, (row.q as { name: string }).name]).toContain(r.either)
      expect(people).toContain(row.p)
    }
    // Virtual entities are generated but never stored.
    expect(data.counts.people).toBe(3)
    expect(Object.keys(data.items)).toEqual(['gen-table'])
  })

  test('latest: the newest matching row by a field; a row with none is not made', () => {
    const model = parse(
      modelWith([
        { name: 'groups', count: 5, fields: { g: { kind: 'sequence' } } },
        {
          name: 'events',
          count: 40,
          fields: {
            group: { kind: 'ref', entity: 'groups', distribution: 'zipf', skew: 3 },
            at: { kind: 'time', start: '2026-01-01T00:00:00Z', step: '1s', jitter: '1s', per: 'group' },
            n: { kind: 'sequence' },
          },
        },
        {
          name: 'rows',
          entity: 'Row',
          forEach: { entity: 'groups', as: 'grp' },
          fields: {
            last: { kind: 'latest', entity: 'events', where: { group: 'grp' }, by: 'at' },
            id: { kind: 'copy', from: 'grp.g' },
            lastN: { kind: 'copy', from: 'last.n' },
          },
        },
      ]),
    )
    const data = generateData(model)
    const active = data.rows.groups!.filter((g) => data.rows.events!.some((e) => e.group === g))
    expect(active.length).toBeLessThan(5) // skew 3 over 40 draws leaves a group without events
    expect(data.items['gen-table']).toHaveLength(active.length)
    for (const r of data.items['gen-table']!) {
      const mine = data.rows.events!.filter(
        (e) => (e.group as { g: number }).g === Number(String(r.pk).slice(4)),
      )
      expect(r.lastN).toBe(Math.max(...mine.map((e) => e.n as number)))
    }
  })

  test('forEach with variants: one row per source row and variant', () => {
    const model = parse(
      modelWith([
        { name: 'pairs', count: 3, fields: { x: { kind: 'sequence' }, y: { kind: 'sequence', start: 100 } } },
        {
          name: 'rows',
          entity: 'Row',
          forEach: { entity: 'pairs', as: 'pair' },
          variants: [
            { mine: 'pair.x', theirs: 'pair.y' },
            { mine: 'pair.y', theirs: 'pair.x' },
          ],
          fields: { id: { kind: 'copy', from: 'mine' }, other: { kind: 'copy', from: 'theirs' } },
        },
      ]),
    )
    expect(generateData(model).items['gen-table']!.map((r) => [r.pk, r.other])).toEqual([
      ['ROW#1', 100],
      ['ROW#100', 1],
      ['ROW#2', 101],
      ['ROW#101', 2],
      ['ROW#3', 102],
      ['ROW#102', 3],
    ])
  })
})

describe('the engine', () => {
  const model = parse(
    modelWith(
      [
        { name: 'rows', entity: 'Row', label: 'Rows', count: 20, fields: { id: { kind: 'uuid' } } },
        { name: 'copies', forEach: { entity: 'rows', as: 'r' }, fields: {} },
      ],
      5,
    ),
  )

  test('is deterministic for a seed, and the seed and counts can be overridden', () => {
    expect(generateData(model)).toEqual(generateData(model))
    expect(generateData(model, { seed: 6 }).items).not.toEqual(generateData(model).items)
    expect(generateData(model, { seed: 6 })).toEqual(generateData(model, { seed: 6 }))
    expect(generateData(model, { counts: { rows: 3 } }).counts).toEqual({ rows: 3, copies: 3 })
    expect(generateData(model).seed).toBe(5)
  })

  test('lists the counts a user can set', () => {
    expect(generatorCounts(model.sampleData!.generator!)).toEqual([
      { name: 'rows', label: 'Rows', count: 20, stored: true },
    ])
  })

  test('refuses counts for nothing, for forEach entities, or out of range, naming the count', () => {
    const err = (counts: Record<string, number>) => {
      try {
        generateData(model, { counts })
      } catch (e) {
        return e as GeneratorError
      }
      throw new Error('no error')
    }
    expect(err({ nope: 1 })).toMatchObject({
      path: 'counts.nope',
      message: expect.stringContaining('(counts: rows)'),
    })
    expect(err({ copies: 1 }).path).toBe('counts.copies')
    expect(err({ rows: -1 }).path).toBe('counts.rows')
    expect(err({ rows: 1.5 }).path).toBe('counts.rows')
  })

  test('unique pairs it cannot make end with an error, not a hang', () => {
    const pairs = parse(
      modelWith([
        { name: 'people', count: 3, fields: { n: { kind: 'sequence' } } },
        {
          name: 'rows',
          entity: 'Row',
          count: 4,
          unique: { fields: ['a', 'b'], unordered: true },
          fields: {
            a: { kind: 'ref', entity: 'people' },
            b: { kind: 'ref', entity: 'people', distinctFrom: ['a'] },
            id: { kind: 'uuid' },
          },
        },
      ]),
    )
    expect(() => generateData(pairs)).toThrow(/only 3 rows with distinct a, b could be made, not 4/)
    expect(generateData(pairs, { counts: { rows: 3 } }).counts.rows).toBe(3)
  })

  test('prng and zipf sampler stay in range', () => {
    const r = prng(1)
    for (let i = 0; i < 1000; i++) {
      const x = r()
      expect(x >= 0 && x < 1).toBe(true)
    }
    const pick = zipfSampler(5, 1, prng(1))
    const seen = new Set<number>()
    for (let i = 0; i < 1000; i++) seen.add(pick())
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4])
  })

  test('durations', () => {
    expect(durationMs(250)).toBe(250)
    expect(durationMs('1.5s')).toBe(1500)
    expect(durationMs('3h')).toBe(10_800_000)
    expect(durationMs('1d')).toBe(86_400_000)
  })
})

describe('validation names the field path', () => {
  test.each([
    [
      'a ref to an entity generated later',
      [
        { name: 'rows', entity: 'Row', count: 1, fields: { id: { kind: 'ref', entity: 'later' } } },
        { name: 'later', count: 1, fields: {} },
      ],
      'sampleData.generator.entities[0].fields.id.entity',
      /not a generated entity listed before this one/,
    ],
    [
      'a copy from a field declared after it',
      [
        {
          name: 'rows',
          entity: 'Row',
          count: 1,
          fields: { id: { kind: 'copy', from: 'x' }, x: { kind: 'uuid' } },
        },
      ],
      'sampleData.generator.entities[0].fields.id.from',
      /"x" is not a field declared before this one/,
    ],
    [
      'an unknown model entity',
      [{ name: 'rows', entity: 'Nope', count: 1, fields: { id: { kind: 'uuid' } } }],
      'sampleData.generator.entities[0].entity',
      /no entity "Nope"/,
    ],
    [
      'a stored entity without a field its key needs',
      [{ name: 'rows', entity: 'Row', count: 1, fields: { other: { kind: 'uuid' } } }],
      'sampleData.generator.entities[0].fields',
      /needs a field "id"/,
    ],
    [
      'both count and forEach',
      [{ name: 'rows', count: 1, forEach: { entity: 'rows', as: 'r' }, fields: {} }],
      'sampleData.generator.entities[0].count',
      /exactly one of count and forEach/,
    ],
    [
      'weights that do not match the values',
      [
        {
          name: 'rows',
          count: 1,
          fields: { v: { kind: 'pick', values: ['a', 'b'], distribution: 'weighted', weights: [1] } },
        },
      ],
      'sampleData.generator.entities[0].fields.v.weights',
      /one weight per value/,
    ],
    [
      'an unknown field kind',
      [{ name: 'rows', count: 1, fields: { v: { kind: 'colour' } } }],
      'sampleData.generator.entities[0].fields.v.kind',
      /./,
    ],
    [
      'a time that is not RFC 3339',
      [{ name: 'rows', count: 1, fields: { t: { kind: 'time', start: 'yesterday', step: 1 } } }],
      'sampleData.generator.entities[0].fields.t.start',
      /RFC 3339/,
    ],
  ])('%s', (_what, entities, path, message) => {
    const issues = issuesOf(modelWith(entities as EntityInput[]))
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) })
  })
})
