import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatIssuePath, modelJsonSchema, parseModel, type Model } from './model'

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
