import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { WorkbenchError } from './errors'
import { loadModelFile, loadSampleItems, parseModelText } from './model.service'

const dir = mkdtempSync(path.join(tmpdir(), 'tw-model-'))

describe('model files', () => {
  test('the Cruddur model loads with its sample items', async () => {
    const model = await loadModelFile(CRUDDUR_MODEL_FILE)
    const items = await loadSampleItems(model, CRUDDUR_MODEL_FILE)
    expect(model.tables.map((t) => t.name)).toEqual(['cruddur-messages'])
    expect(items['cruddur-messages']!.length).toBeGreaterThan(100)
  })

  test('a bad model file is rejected as model.invalid, naming the field at fault', async () => {
    const file = path.join(dir, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'bad',
        tables: [
          {
            name: 'things',
            attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
            keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
            globalSecondaryIndexes: [
              {
                indexName: 'by-x',
                keySchema: [{ attributeName: 'x', keyType: 'HASH' }],
                projection: { projectionType: 'ALL' },
              },
            ],
          },
        ],
      }),
    )
    const err = await loadModelFile(file).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkbenchError)
    expect(err).toMatchObject({ code: 'model.invalid' })
    expect((err as Error).message).toContain(
      'tables[0].globalSecondaryIndexes[0].keySchema[0].attributeName: key attribute "x" is not in attributeDefinitions',
    )
  })

  test('stream handler files resolve next to the model; a missing one is refused at load, naming the field and the file', async () => {
    const model = {
      name: 'notes',
      tables: [
        {
          name: 'notes',
          attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
          keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
          stream: { viewType: 'NEW_IMAGE' },
        },
      ],
      streamHandlers: [{ name: 'count', table: 'notes', file: 'handlers/count.mjs' }],
    }
    const file = path.join(dir, 'with-handler.json')
    writeFileSync(file, JSON.stringify(model))
    const err = await loadModelFile(file).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'model.invalid',
      details: { file: path.join(dir, 'handlers/count.mjs') },
    })
    expect((err as Error).message).toContain(
      `streamHandlers[0].file: no handler file ${path.join(dir, 'handlers/count.mjs')}`,
    )
    mkdirSync(path.join(dir, 'handlers'), { recursive: true })
    writeFileSync(path.join(dir, 'handlers/count.mjs'), 'export const handler = async () => {}\n')
    expect((await loadModelFile(file)).streamHandlers[0]!.file).toBe(path.join(dir, 'handlers/count.mjs'))
    expect(() =>
      parseModelText(
        JSON.stringify({ ...model, streamHandlers: [{ name: 'x', table: 'notes', file: 'count.py' }] }),
        'm.json',
      ),
    ).toThrow(/streamHandlers\[0\]\.file: a handler file is a \.mjs, \.js or \.ts module/)
  })

  test('broken JSON and a missing file have their own codes', async () => {
    expect(() => parseModelText('{ nope', 'x.json')).toThrow(
      expect.objectContaining({ code: 'model.invalid' }),
    )
    await expect(loadModelFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({
      code: 'model.notFound',
    })
  })

  test('sample items without their key attributes are rejected', async () => {
    const model = parseModelText(
      JSON.stringify({
        name: 'm',
        tables: [
          {
            name: 'tbl',
            attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
            keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
          },
        ],
        sampleData: { items: { tbl: [{ pk: 'a' }, { other: 1 }] } },
      }),
    )
    await expect(loadSampleItems(model)).rejects.toThrow(/tbl\[1\]\.pk: key attribute missing/)
  })

  test('an items file: numbers exact, a BOM accepted, nesting deeper than DynamoDB allows refused', async () => {
    const big = '12345678901234567890.123456789012345678'
    const model = parseModelText(
      JSON.stringify({
        name: 'm',
        tables: [
          {
            name: 'tbl',
            attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
            keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
          },
        ],
        sampleData: { itemsFile: 'items.json' },
      }),
    )
    const modelFile = path.join(dir, 'with-items.json')
    const deep = (n: number): string => (n === 0 ? '1' : `{"n":${deep(n - 1)}}`)
    writeFileSync(path.join(dir, 'items.json'), `\uFEFF{"tbl":[{"pk":"a","big":${big},"ok":${deep(31)}}]}`)
    const items = await loadSampleItems(model, modelFile)
    expect(String(items.tbl![0]!.big)).toBe(big)
    writeFileSync(path.join(dir, 'items.json'), `{"tbl":[{"pk":"a"},{"pk":"b","x":${deep(32)}}]}`)
    await expect(loadSampleItems(model, modelFile)).rejects.toMatchObject({
      code: 'model.invalid',
      message: expect.stringMatching(/tbl\[1\]\.x(\.n){31}: nested more than 32 levels/),
    })
  })
})
