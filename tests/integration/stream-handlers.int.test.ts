import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { closeHandlerRunners } from '../../electron/services/handlers/invoke'
import { loadModelFile } from '../../electron/services/model.service'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'
import {
  processStream,
  streamCheckpointAtEnd,
  type HandlerStep,
  type ProcessOptions,
} from '../../electron/services/stream.service'
import type { Model } from '../../shared/domain/model'
import { TARGETS, localClientConfig } from '../support/targets'
import { assertBuilt, cli, spawnEngine, type SpawnedEngine } from './cli-helpers'

/**
 * Stream handlers are user code in a folder of their own, outside the repository and with no node_modules:
 * they import the AWS SDK as on Lambda, run in a worker with a timeout, and their failures are retried and
 * reported without taking the caller down.
 */

const HANDLERS: Record<string, string> = {
  // Keeps a count of the notes in a `stat#count` row, with the document client (as many Lambda functions do).
  'count.mjs': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}))
export const handler = async (event, context) => {
  for (const record of event.Records) {
    const id = record.dynamodb.Keys.id.S
    if (id.startsWith('stat#')) { console.log('skip: a stat row'); continue }
    console.log('counting', id, 'in', context.functionName)
    const table = record.eventSourceARN.split('/')[1]
    await doc.send(new UpdateCommand({ TableName: table, Key: { id: 'stat#count' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }))
  }
}
`,
  'throws-once.mjs': `import { existsSync, writeFileSync } from 'node:fs'
const marker = new URL('./thrown.marker', import.meta.url)
export const handler = async (event) => {
  if (!existsSync(marker)) {
    writeFileSync(marker, 'thrown')
    throw new Error('the first attempt fails')
  }
  console.log('handled', event.Records.length)
}
`,
  'hangs.mjs': `export const handler = async () => {
  for (;;) {}
}
`,
  'syntax.mjs': `export const handler = async (event) => {
  const n = event.Records.length
  return n +
}
`,
  'partial.mjs': `let calls = 0
export const handler = async (event) => {
  calls++
  if (calls === 1) return { batchItemFailures: [{ itemIdentifier: event.Records[1].dynamodb.SequenceNumber }] }
  return { batchItemFailures: [] }
}
`,
  'typed.ts': `interface StreamEvent { Records: { eventName: string }[] }
export const handler = async (event: StreamEvent): Promise<void> => {
  const n: number = event.Records.length
  console.log(\`typed handler saw \${n}\`)
  throw new Error('typed failure')
}
`,
}

function writeFolder(table: string): { dir: string; modelFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-handlers-'))
  for (const [name, text] of Object.entries(HANDLERS)) writeFileSync(path.join(dir, name), text)
  const model = {
    name: 'notes',
    tables: [
      {
        name: table,
        attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        stream: { viewType: 'NEW_AND_OLD_IMAGES' },
      },
    ],
    streamHandlers: [
      { name: 'count-notes', table, file: 'count.mjs', timeoutSeconds: 2, maximumRetryAttempts: 1 },
    ],
  }
  const modelFile = path.join(dir, 'model.json')
  writeFileSync(modelFile, JSON.stringify(model, null, 2))
  return { dir, modelFile }
}

const kinds = (steps: HandlerStep[]) => steps.map((s) => s.kind)
const errorSteps = (steps: HandlerStep[]) =>
  steps.filter((s): s is Extract<HandlerStep, { kind: 'error' }> => s.kind === 'error')

describe.each(TARGETS)('stream handlers as user code on $name', ({ start }) => {
  const table = `handlers-${process.pid}`
  let stop: () => Promise<void> = async () => {}
  let ddb: DynamoDBClient
  let streams: DynamoDBStreamsClient
  let folder: { dir: string; modelFile: string }
  let model: Model
  let seq = 0

  /** Writes `n` notes and processes the stream from just before them. */
  const writeAndProcess = async (n: number, options: ProcessOptions = {}) => {
    const from = await streamCheckpointAtEnd({ ddb, streams }, table)
    for (let i = 0; i < n; i++)
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: `note-${++seq}` } } }))
    return processStream({ ddb, streams }, model, table, { from, ...options })
  }

  beforeAll(async () => {
    const started = await start()
    stop = started.stop
    ddb = new DynamoDBClient(localClientConfig(started.endpoint))
    streams = new DynamoDBStreamsClient(localClientConfig(started.endpoint))
    folder = writeFolder(table)
    model = await loadModelFile(folder.modelFile)
    await schemaLoad(ddb, model)
  })
  afterAll(async () => {
    closeHandlerRunners()
    await dropTable(ddb, table)
    ddb.destroy()
    streams.destroy()
    rmSync(folder.dir, { recursive: true, force: true })
    await stop()
  })

  test('the handler lives outside the repository, with no node_modules of its own', () => {
    expect(folder.dir.startsWith(path.resolve('.'))).toBe(false)
    expect(existsSync(path.join(folder.dir, 'node_modules'))).toBe(false)
    expect(model.streamHandlers[0]!.file).toBe(path.join(folder.dir, 'count.mjs'))
  })

  test('it imports the AWS SDK (client and document client) and writes through the active connection', async () => {
    const out = await writeAndProcess(3)
    // the three notes, then (read on the next poll of the same run) the handler's own three writes of the stat row
    expect(out.summary).toMatchObject({ records: 6, batches: 2, retries: 0, errors: 0, failedBatches: 0 })
    const notes = out.reports.filter((r) => String(r.record.keys.id).startsWith('note-'))
    expect(notes).toHaveLength(3)
    // each note's steps: its console line, then the UpdateItem it sent (recorded in DynamoDB JSON)
    for (const r of notes) expect(kinds(r.steps)).toEqual(['log', 'update'])
    expect(notes[0]!.steps[0]).toMatchObject({
      kind: 'log',
      text: `counting ${String(notes[0]!.record.keys.id)} in count-notes`,
    })
    expect(notes[0]!.steps[1]).toMatchObject({
      kind: 'update',
      key: { id: 'stat#count' },
      request: { Key: { id: { S: 'stat#count' } } },
    })
    const count = await ddb.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: 'stat#count' } }, ConsistentRead: true }),
    )
    expect(count.Item?.n).toEqual({ N: '3' })
    const stats = out.reports.filter((r) => r.record.keys.id === 'stat#count')
    expect(stats.map((r) => r.record.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY'])
    for (const r of stats) expect(r.steps).toEqual([{ kind: 'skip', reason: 'a stat row' }])
    const next = await processStream({ ddb, streams }, model, table, { from: out.checkpoint })
    expect(next.records).toEqual([])
  })

  test('a handler that throws once is retried and the failure reported, with file:line', async () => {
    const out = await writeAndProcess(2, { handlerFile: path.join(folder.dir, 'throws-once.mjs') })
    expect(out.summary).toMatchObject({ batches: 1, invocations: 2, retries: 1, errors: 1, failedBatches: 0 })
    expect(out.batches.map((b) => [b.attempt, b.outcome, b.givenUp])).toEqual([
      [0, 'failure', false],
      [1, 'success', false],
    ])
    const [error] = errorSteps(out.batches[0]!.reports.flatMap((r) => r.steps))
    expect(error).toMatchObject({
      detail: expect.stringContaining('Error: the first attempt fails'),
      location: `${path.join(folder.dir, 'throws-once.mjs')}:6`,
    })
    expect(out.batches[1]!.logs.map((l) => l.text)).toEqual(['handled 2'])
  })

  test('a handler that hangs ends at its timeout, is retried, then given up; the caller carries on', async () => {
    const out = await writeAndProcess(1, { handlerFile: path.join(folder.dir, 'hangs.mjs') })
    expect(out.summary).toMatchObject({ invocations: 2, retries: 1, errors: 2, failedBatches: 1 })
    expect(out.batches.at(-1)).toMatchObject({
      outcome: 'failure',
      givenUp: true,
      error: expect.stringMatching(/Task timed out after 2\.00 seconds/),
    })
    // the given-up batch is behind the checkpoint, as with Lambda's MaximumRetryAttempts
    const again = await processStream({ ddb, streams }, model, table, { from: out.checkpoint })
    expect(again.records).toEqual([])
  })

  test('a syntax error names the file and line, and fails the batch without crashing anything', async () => {
    const out = await writeAndProcess(1, {
      handlerFile: path.join(folder.dir, 'syntax.mjs'),
      maximumRetryAttempts: 0,
    })
    expect(out.summary).toMatchObject({ invocations: 1, failedBatches: 1 })
    const [error] = errorSteps(out.reports.flatMap((r) => r.steps))
    expect(error).toMatchObject({ location: `${path.join(folder.dir, 'syntax.mjs')}:4` })
    expect(error!.detail).toMatch(/^cannot load the handler: SyntaxError/)
  })

  test('a batchItemFailures response retries from the first failed record', async () => {
    const out = await writeAndProcess(3, { handlerFile: path.join(folder.dir, 'partial.mjs'), batchSize: 10 })
    expect(out.summary).toMatchObject({ retries: 1, failedBatches: 0 })
    expect(out.batches.map((b) => [b.outcome, b.records.length])).toEqual([
      ['partial', 3],
      ['success', 2],
    ])
    expect(out.batches[1]!.records.map((r) => r.keys.id)).toEqual(
      out.batches[0]!.records.slice(1).map((r) => r.keys.id),
    )
  })

  test('batch size splits the records into several invocations, in stream order', async () => {
    const out = await writeAndProcess(3, { handlerFile: path.join(folder.dir, 'partial.mjs'), batchSize: 1 })
    expect(out.summary).toMatchObject({ records: 3, batches: 3, retries: 0 })
    expect(out.records.map((r) => r.keys.id)).toEqual([`note-${seq - 2}`, `note-${seq - 1}`, `note-${seq}`])
  })

  test('a .ts handler runs with its types stripped; its stack points into the .ts file', async () => {
    const out = await writeAndProcess(1, {
      handlerFile: path.join(folder.dir, 'typed.ts'),
      maximumRetryAttempts: 0,
    })
    expect(out.batches[0]!.logs.map((l) => l.text)).toContain('typed handler saw 1')
    const [error] = errorSteps(out.reports.flatMap((r) => r.steps))
    expect(error).toMatchObject({
      location: `${path.join(folder.dir, 'typed.ts')}:5`,
      detail: expect.stringContaining('typed failure'),
    })
  })

  test('a changed handler file is loaded afresh on the next batch', async () => {
    const file = path.join(folder.dir, 'reload.mjs')
    writeFileSync(file, `export const handler = async () => { console.log('version 1') }\n`)
    const first = await writeAndProcess(1, { handlerFile: file })
    expect(first.batches[0]!.logs.map((l) => l.text)).toEqual(['version 1'])
    writeFileSync(file, `export const handler = async () => { console.log('version 2') }\n`)
    // a later mtime, in case both writes fall in one tick of the file system's clock
    const later = new Date(Date.now() + 5000)
    utimesSync(file, later, later)
    const second = await writeAndProcess(1, { handlerFile: file })
    expect(second.batches[0]).toMatchObject({ reloaded: true })
    expect(second.batches[0]!.logs.map((l) => l.text)).toEqual(['version 2'])
  })
})

describe('stream-process through the CLI, with a model and handler in a temp folder', () => {
  let engine: SpawnedEngine
  const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-cli-userdata-'))
  const env = { TABLEWRIGHT_USER_DATA: userData }

  beforeAll(async () => {
    assertBuilt()
    engine = await spawnEngine()
  })
  afterAll(async () => {
    await engine.stop()
    rmSync(userData, { recursive: true, force: true })
  })

  describe.each([
    { name: 'the embedded engine', endpoint: () => engine.endpoint },
    { name: 'DynamoDB Local', endpoint: () => inject('ddbLocalEndpoint') },
  ])('on $name', ({ endpoint }) => {
    const table = `cli-handlers-${process.pid}`
    let folder: { dir: string; modelFile: string }
    let ddb: DynamoDBClient
    const args = () => ['--endpoint', endpoint(), '--model', folder.modelFile, '--json']

    beforeAll(async () => {
      folder = writeFolder(table)
      ddb = new DynamoDBClient(localClientConfig(endpoint()))
      const loaded = await cli(['schema-load', ...args()], env)
      expect(loaded.code).toBe(0)
    })
    afterAll(async () => {
      await dropTable(ddb, table)
      ddb.destroy()
      rmSync(folder.dir, { recursive: true, force: true })
    })

    test('runs the model’s handler, prints a summary, and a later run continues from its checkpoint', async () => {
      for (const id of ['a', 'b'])
        await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }))
      const count = async () =>
        (
          await ddb.send(
            new GetItemCommand({ TableName: table, Key: { id: { S: 'stat#count' } }, ConsistentRead: true }),
          )
        ).Item?.n
      // two notes, then the handler's two writes of the stat row (skipped by the handler)
      const first = await cli(['stream-process', ...args()], env)
      expect(first.code).toBe(0)
      expect(first.json()).toMatchObject({
        ok: true,
        summary: { records: 4, retries: 0, errors: 0, failedBatches: 0 },
      })
      expect(await count()).toEqual({ N: '2' })
      const second = await cli(['stream-process', ...args()], env)
      expect(second.json()).toMatchObject({ ok: true, summary: { records: 0 } })
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'c' } } }))
      const third = await cli(['stream-process', ...args()], env)
      expect(third.json()).toMatchObject({ ok: true, summary: { records: 2 } })
      expect(await count()).toEqual({ N: '3' })
      // --from trim_horizon reads everything again (here with another handler, which writes nothing)
      const all = await cli(
        [
          'stream-process',
          '--from',
          'trim_horizon',
          '--handler',
          path.join(folder.dir, 'partial.mjs'),
          ...args(),
        ],
        env,
      )
      expect(all.json()).toMatchObject({ ok: true, summary: { records: 6, retries: 1 } })
    })

    test('a batch that still fails after its retries exits 1 with handler.failed and the summary', async () => {
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'd' } } }))
      const r = await cli(
        ['stream-process', '--handler', path.join(folder.dir, 'syntax.mjs'), '--max-retries', '1', ...args()],
        env,
      )
      expect(r.code).toBe(1)
      const out = r.json()
      expect(out).toMatchObject({
        ok: false,
        code: 'handler.failed',
        summary: { invocations: 2, retries: 1, errors: 2, failedBatches: 1 },
      })
      const steps = (out.reports as { steps: HandlerStep[] }[]).flatMap((x) => x.steps)
      expect(
        steps.some((s) => s.kind === 'error' && s.location === `${path.join(folder.dir, 'syntax.mjs')}:4`),
      ).toBe(true)
    })

    test('model validate checks the handler paths', async () => {
      const ok = await cli(['model', 'validate', folder.modelFile, '--json'])
      expect(ok.json()).toMatchObject({
        ok: true,
        handlers: [{ name: 'count-notes', file: path.join(folder.dir, 'count.mjs') }],
      })
      const broken = path.join(folder.dir, 'broken.json')
      const model = JSON.parse(
        await import('node:fs/promises').then((fs) => fs.readFile(folder.modelFile, 'utf8')),
      ) as {
        streamHandlers: { file: string }[]
      }
      model.streamHandlers[0]!.file = 'missing.mjs'
      writeFileSync(broken, JSON.stringify(model))
      const bad = await cli(['model', 'validate', broken, '--json'])
      expect(bad.code).toBe(1)
      expect(bad.json()).toMatchObject({
        ok: false,
        code: 'model.invalid',
        message: expect.stringContaining(
          `streamHandlers[0].file: no handler file ${path.join(folder.dir, 'missing.mjs')}`,
        ),
      })
    })
  })
})
