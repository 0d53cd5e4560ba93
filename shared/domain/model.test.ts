import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatIssuePath, modelJsonSchema, parseModel, recipeCaseId, recipeCases, type Model } from './model'

const SCHEMA_FILE = path.join(import.meta.dirname, 'model.schema.json')
const CRUDDUR = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../seeds/cruddur/model.json'), 'utf8'),
) as Record<string, unknown>

const clone = <T>(x: T): T => structuredClone(x)

describe('model schema', () => {
  // `UPDATE_SCHEMA=1 npx vitest run --project unit shared/domain/model.test.ts` regenerates the committed file.
  test('the committed model.schema.json is generated from the zod schema', () => {
    const generated = JSON.stringify(modelJsonSchema(), null, 2) + '\n'
    if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, generated)
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated)
  })

  test('the Cruddur model is valid', () => {
    const r = parseModel(CRUDDUR)
    expect(r.ok ? r.model.accessPatterns.map((p) => p.id) : r.issues).toEqual(['A', 'A2', 'B', 'C', 'D'])
  })

  test('issue paths name the field', () => {
    expect(formatIssuePath(['tables', 0, 'globalSecondaryIndexes', 0, 'keySchema'])).toBe(
      'tables[0].globalSecondaryIndexes[0].keySchema',
    )
  })

  const rejects = (mutate: (m: Model) => void, path: string, message: RegExp) => {
    const m = clone(CRUDDUR)
    mutate(m as unknown as Model)
    const r = parseModel(m)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.issues).toContainEqual({ path, message: expect.stringMatching(message) })
  }

  test('a recipe declares one case or a list; two cases with one name, or a postcondition on no pattern, are refused', () => {
    const withCases = (cases: unknown) => {
      const m = clone(CRUDDUR) as unknown as Model
      ;(m.recipes[0] as { expectations: unknown }).expectations = cases
      return parseModel(m)
    }
    const ok = withCases([{ outcome: 'succeeds' }, { case: 'late', outcome: 'cancelled' }])
    expect(
      ok.ok && recipeCases(ok.model.recipes[0]!).map((c) => recipeCaseId(ok.model.recipes[0]!, c)),
    ).toEqual(['send-message', 'send-message:late'])
    const twice = withCases([{ case: 'x' }, { case: 'x' }])
    expect(twice.ok ? [] : twice.issues).toContainEqual({
      path: 'recipes[0].expectations[1].case',
      message: expect.stringMatching(/share the name "x"/),
    })
    const nowhere = withCases([{}, { case: 'y', after: [{ pattern: 'Z', count: 0 }] }])
    expect(nowhere.ok ? [] : nowhere.issues).toContainEqual({
      path: 'recipes[0].expectations[1].after[0].pattern',
      message: expect.stringMatching(/no access pattern "Z"/),
    })
  })

  test('a GSI keyed on an undefined attribute is rejected at its key schema', () =>
    rejects(
      (m) => (m.tables[0]!.globalSecondaryIndexes![0]!.keySchema[0]!.attributeName = 'nope'),
      'tables[0].globalSecondaryIndexes[0].keySchema[0].attributeName',
      /not in attributeDefinitions/,
    ))

  test('a GSI with a RANGE first is rejected', () =>
    rejects(
      (m) => (m.tables[0]!.globalSecondaryIndexes![0]!.keySchema[0]!.keyType = 'RANGE'),
      'tables[0].globalSecondaryIndexes[0].keySchema[0].keyType',
      /HASH/,
    ))

  test('PROVISIONED without throughput is rejected', () =>
    rejects(
      (m) => delete m.tables[0]!.provisionedThroughput,
      'tables[0].provisionedThroughput',
      /PROVISIONED/,
    ))

  test('a pattern on an unknown index is rejected', () =>
    rejects(
      (m) => (m.accessPatterns[0]!.index = 'ghost-index'),
      'accessPatterns[0].index',
      /no index "ghost-index"/,
    ))

  test('a pattern referring to an undeclared parameter is rejected', () =>
    rejects(
      (m) => (m.accessPatterns[0]!.values![':pk'] = 'MSG#{nope}'),
      'accessPatterns[0].values.:pk',
      /\{nope\}/,
    ))

  test('a bad entity key template is rejected', () =>
    rejects((m) => (m.entities[0]!.keys.pk = 'MSG#{oops'), 'entities[0].keys.pk', /unclosed/))
})

describe('parameter bindings', () => {
  const rejects = (mutate: (m: Model) => void, path: string, message: RegExp) => {
    const m = clone(CRUDDUR) as unknown as Model
    mutate(m)
    const r = parseModel(m)
    expect(r.ok ? [] : r.issues).toContainEqual({ path, message: expect.stringMatching(message) })
  }

  test("Cruddur's uuid parameters are bound to attributes, with labels and companions", () => {
    const r = parseModel(CRUDDUR)
    if (!r.ok) throw new Error('invalid')
    const c = r.model.accessPatterns.find((p) => p.id === 'C')!
    expect(c.params.find((p) => p.name === 'message_group_uuid')?.bind).toMatchObject({
      attribute: 'message_group_uuid',
      entity: 'Conversation',
    })
    expect(c.params.find((p) => p.name === 'user_uuid')?.bind?.companions).toEqual({
      user_display_name: 'user_display_name',
      user_handle: 'user_handle',
    })
    expect(r.model.accessPatterns.map((p) => p.entity)).toEqual([
      'Message',
      'Message',
      'Conversation',
      'Message',
      'Conversation',
    ])
  })

  test('a binding to an unknown entity or table, or filling an undeclared parameter, is refused at its path', () => {
    rejects(
      (m) => (m.accessPatterns[0]!.params[0]!.bind = { attribute: 'x', entity: 'Invoice' }),
      'accessPatterns[0].params[0].bind.entity',
      /no entity "Invoice"/,
    )
    rejects(
      (m) => (m.accessPatterns[0]!.params[0]!.bind = { attribute: 'x', table: 'nope-table' }),
      'accessPatterns[0].params[0].bind.table',
      /no table "nope-table"/,
    )
    rejects(
      (m) => (m.recipes[0]!.params[0]!.bind = { attribute: 'x', companions: { colour: 'colour' } }),
      'recipes[0].params[0].bind.companions.colour',
      /"colour" is not a declared parameter/,
    )
  })
})

describe('write recipes', () => {
  const issuesOf = (m: unknown) => {
    const r = parseModel(m)
    return r.ok ? [] : r.issues
  }
  const recipes = () => clone(CRUDDUR.recipes) as Record<string, unknown>[]

  test("Cruddur's two recipes are data in its model", () => {
    const r = parseModel(CRUDDUR)
    if (!r.ok) throw new Error(JSON.stringify(r.issues))
    expect(r.model.recipes.map((x) => [x.id, x.mode, x.steps.map((s) => s.op)])).toEqual([
      ['send-message', 'steps', ['Put']],
      ['start-conversation', 'auto', ['Put', 'Put', 'Put']],
    ])
  })

  test('a step naming an undeclared parameter is refused at its path', () => {
    const rs = recipes()
    ;(rs[0]!.steps as Record<string, Record<string, unknown>>[])[0]!.item!.message = '{txt}'
    expect(issuesOf({ ...clone(CRUDDUR), recipes: rs })).toEqual([
      { path: 'recipes[0].steps[0].item.message', message: '{txt} is not a declared parameter' },
    ])
  })

  test('op shapes: Update needs key and update; ConditionCheck needs a condition; Put takes no key', () => {
    const step = (s: Record<string, unknown>) => ({
      ...clone(CRUDDUR),
      recipes: [{ id: 'r', name: 'r', params: [{ name: 'g', type: 'uuid' }], steps: [s] }],
    })
    const paths = (s: Record<string, unknown>) => issuesOf(step(s)).map((i) => `${i.path}: ${i.message}`)
    expect(paths({ op: 'Update', table: 'cruddur-messages', key: { pk: 'MSG#{g}', sk: 'x' } })).toEqual([
      'recipes[0].steps[0].update: Update needs update',
    ])
    expect(
      paths({ op: 'ConditionCheck', table: 'cruddur-messages', key: { pk: 'MSG#{g}', sk: 'x' } }),
    ).toEqual(['recipes[0].steps[0].condition: ConditionCheck needs condition'])
    expect(
      paths({
        op: 'Put',
        table: 'cruddur-messages',
        item: { pk: 'MSG#{g}', sk: 'x' },
        key: { pk: 'x', sk: 'y' },
      }),
    ).toEqual(['recipes[0].steps[0].key: Put takes no key'])
    expect(
      paths({
        op: 'Delete',
        table: 'cruddur-messages',
        key: { pk: 'MSG#{g}', sk: 'x' },
        condition: 'attribute_exists(pk) AND v = :v',
      }),
    ).toEqual(['recipes[0].steps[0].values: :v has no entry in values'])
  })

  test('tables, entities, key attributes and pattern references are checked against the model', () => {
    const m = {
      ...clone(CRUDDUR),
      recipes: [
        {
          id: 'r',
          name: 'r',
          pattern: 'Z',
          steps: [
            { op: 'Put', table: 'nope-table', item: { pk: 'a' } },
            { op: 'Delete', table: 'cruddur-messages', entity: 'Ghost', key: { pk: 'a', other: 'b' } },
          ],
        },
      ],
    }
    expect(issuesOf(m).map((i) => i.path)).toEqual([
      'recipes[0].pattern',
      'recipes[0].steps[0].table',
      'recipes[0].steps[1].entity',
      'recipes[0].steps[1].key',
      'recipes[0].steps[1].key.other',
    ])
  })
})
