import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assertBuilt, cli } from './cli-helpers'

let dir: string
beforeAll(() => {
  assertBuilt()
  dir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-matrix-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tablewright matrix', () => {
  test('a model file outside the repo: one row per pattern and recipe, a Scan-only pattern flagged', async () => {
    const file = path.join(dir, 'shop.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'shop',
        tables: [
          {
            name: 'shop',
            attributeDefinitions: [
              { attributeName: 'PK', attributeType: 'S' },
              { attributeName: 'SK', attributeType: 'S' },
            ],
            keySchema: [
              { attributeName: 'PK', keyType: 'HASH' },
              { attributeName: 'SK', keyType: 'RANGE' },
            ],
          },
        ],
        accessPatterns: [
          {
            id: 'orders',
            name: "a customer's orders",
            operation: 'Query',
            table: 'shop',
            params: [{ name: 'customer', type: 'string' }],
            keyCondition: 'PK = :pk AND begins_with(SK, :o)',
            values: { ':pk': 'CUSTOMER#{customer}', ':o': 'ORDER#' },
          },
          { id: 'everything', name: 'every item', operation: 'Scan', table: 'shop' },
        ],
        recipes: [
          {
            id: 'add-order',
            name: 'add an order',
            params: [{ name: 'customer', type: 'string' }],
            steps: [
              { op: 'Put', table: 'shop', item: { PK: 'CUSTOMER#{customer}', SK: 'ORDER#1' } },
              {
                op: 'Update',
                table: 'shop',
                key: { PK: 'CUSTOMER#{customer}', SK: 'PROFILE' },
                update: 'ADD n :one',
                values: { ':one': 1 },
              },
            ],
          },
        ],
      }),
    )
    const json = await cli(['matrix', '--model', file, '--json'])
    expect(json.code).toBe(0)
    const rows = json.json().rows as Record<string, unknown>[]
    expect(rows.map((r) => [r.id, r.operation, r.partitionKey, r.sortKey, Boolean(r.scan)])).toEqual([
      ['orders', 'Query', 'PK = "CUSTOMER#{customer}"', 'begins_with(SK, "ORDER#")', false],
      ['everything', 'Scan', '', '', true],
      ['add-order', 'TransactWriteItems: Put, Update', 'PK = "CUSTOMER#{customer}"', 'SK = "ORDER#1"', false],
    ])

    const csvFile = path.join(dir, 'matrix.csv')
    const csv = await cli(['matrix', '--model', file, '--format', 'csv', '--out', csvFile])
    expect(csv.code).toBe(0)
    const lines = readFileSync(csvFile, 'utf8').split('\r\n')
    expect(lines[0]).toMatch(/^Pattern,Name,Table \/ index,Operation,/)
    expect(lines).toHaveLength(5) // header, three rows, final empty line

    const table = await cli(['matrix', '--model', file])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/everything: a Scan reads every item of shop/)
  })

  test('an unknown format is a usage error that lists the formats', async () => {
    const out = await cli(['matrix', '--format', 'xlsx'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('table, markdown, csv, json')
  })
})
