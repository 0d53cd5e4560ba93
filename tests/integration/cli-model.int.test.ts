import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { assertBuilt, cli, renamedCruddurModel } from './cli-helpers'

let dir: string
beforeAll(() => {
  assertBuilt()
  dir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-model-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tablewright model', () => {
  test('exports the built-in model as a NoSQL Workbench data model that imports back with the same tables and data', async () => {
    const file = path.join(dir, 'nosql-workbench.json')
    const out = await cli(['model', 'export', '--format', 'nosql-workbench', '--out', file])
    expect(out.code).toBe(0)
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      ModelName: string
      DataModel: {
        TableName: string
        GlobalSecondaryIndexes?: { IndexName: string }[]
        TableData?: unknown[]
      }[]
    }
    expect(exported.ModelName).toBe('cruddur')
    expect(exported.DataModel.map((t) => t.TableName)).toEqual(['cruddur-messages'])
    expect(exported.DataModel[0]!.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual([
      'message-group-sk-index',
    ])
    expect(exported.DataModel[0]!.TableData?.length).toBeGreaterThan(100)

    const validated = await cli(['model', 'validate', '--model', file, '--json'])
    expect(validated.code).toBe(0)
    expect(validated.json()).toMatchObject({ ok: true, tables: ['cruddur-messages'] })
  })

  test('a create-table --cli-input-json file is a model too: schema-load creates exactly that table', async () => {
    const renamed = await renamedCruddurModel(`cli-model-ct-${process.pid}`)
    try {
      const ct = await cli(['model', 'export', '--format', 'create-table', '--model', renamed.file])
      expect(ct.code).toBe(0)
      const input = JSON.parse(ct.stdout) as {
        TableName: string
        StreamSpecification?: { StreamViewType?: string }
      }
      expect(input.TableName).toBe(`cli-model-ct-${process.pid}`)
      expect(input.StreamSpecification?.StreamViewType).toBe('NEW_IMAGE')
      const file = path.join(dir, 'create-table.json')
      writeFileSync(file, ct.stdout)
      const conn = ['--endpoint', inject('ddbLocalEndpoint'), '--model', file, '--json']
      const loaded = await cli(['schema-load', ...conn])
      expect(loaded.code).toBe(0)
      expect(loaded.json()).toMatchObject({ tables: [{ table: input.TableName, status: 'created' }] })
      expect((await cli(['drop', input.TableName, '--yes', ...conn])).code).toBe(0)
    } finally {
      rmSync(renamed.dir, { recursive: true, force: true })
    }
  })

  test('a bad model names the field at fault (exit 1); an unknown format is a usage error (exit 2)', async () => {
    const bad = path.join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        name: 'x',
        tables: [
          {
            name: 'ttt',
            attributeDefinitions: [{ attributeName: 'pk', attributeType: 'Q' }],
            keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
          },
        ],
      }),
    )
    const r = await cli(['model', 'validate', '--model', bad])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('tables[0].attributeDefinitions[0].attributeType')
    expect((await cli(['model', 'export', '--format', 'yaml'])).code).toBe(2)
  })

  test('malformed NoSQL Workbench and create-table files answer model.invalid naming the field; a BOM is accepted', async () => {
    const wb = path.join(dir, 'bad-workbench.json')
    writeFileSync(
      wb,
      JSON.stringify({
        ModelName: 'x',
        DataModel: [
          {
            TableName: 'ttt',
            KeyAttributes: { PartitionKey: { AttributeName: 'pk', AttributeType: 'S' } },
            GlobalSecondaryIndexes: [{ IndexName: 'g', Projection: { ProjectionType: 'ALL' } }],
          },
        ],
      }),
    )
    const r = await cli(['model', 'validate', '--model', wb, '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({ ok: false, code: 'model.invalid' })
    expect(r.json().message).toContain('DataModel[0].GlobalSecondaryIndexes[0].KeyAttributes')
    const ct = path.join(dir, 'bad-create-table.json')
    writeFileSync(
      ct,
      JSON.stringify({
        TableName: 'ttt',
        AttributeDefinitions: [null],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    )
    const c = await cli(['model', 'validate', '--model', ct])
    expect(c.code).toBe(1)
    expect(c.stderr).toMatch(/error: model\.invalid: .*AttributeDefinitions\[0\]/)
    const bom = path.join(dir, 'bom.json')
    writeFileSync(
      bom,
      `\uFEFF${JSON.stringify({ TableName: 'ttt', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] })}`,
    )
    const ok = await cli(['model', 'validate', '--model', bom, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json()).toMatchObject({ ok: true, tables: ['ttt'] })
  })
})
