import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { assertBuilt, cli, renamedCruddurModel, spawnEngine, type SpawnedEngine } from './cli-helpers'

type Row = Record<string, unknown>
interface Entry {
  kind: string
  source: string
  title: string
}
interface Write {
  op: string
  status: string
  key: Row
  reason?: { code: string }
  before?: Row
  after?: Row
}

/**
 * A model written in a temp folder, outside the repository: a notes table whose stream handler keeps a count,
 * a recipe with a condition, and the model's own CLI command over that recipe. Nothing in the CLI knows it.
 */
function notesModel(dir: string, table: string): string {
  writeFileSync(
    path.join(dir, 'count.mjs'),
    `import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
const client = new DynamoDBClient({})
export const handler = async (event) => {
  for (const record of event.Records) {
    const keys = record.dynamodb.Keys
    if (record.eventName !== 'INSERT' || keys.pk.S === 'STATS') { console.log('skip: not a new note'); continue }
    const table = record.eventSourceARN.split('/')[1]
    await client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'STATS' }, sk: { S: keys.pk.S } },
      UpdateExpression: 'ADD notes :one', ExpressionAttributeValues: { ':one': { N: '1' } } }))
  }
}
`,
  )
  writeFileSync(
    path.join(dir, 'note.mjs'),
    `export const description = 'add a note and print how many the author has'
export const options = [{ flags: '--author <name>', required: true }, { flags: '--text <text>', required: true }]
export async function run(opts, api) {
  const r = await api.runRecipe('add-note', { author: opts.author, text: opts.text })
  const stats = (await api.scan(api.model.tables[0].name)).find((i) => i.pk === 'STATS' && i.sk === opts.author)
  api.log(opts.author + ' has ' + stats?.notes + ' note(s)')
  return { written: r.writes.filter((w) => w.status === 'written').length, notes: stats?.notes }
}
`,
  )
  const file = path.join(dir, 'notes.json')
  writeFileSync(
    file,
    JSON.stringify({
      name: 'notes',
      tables: [
        {
          name: table,
          attributeDefinitions: [
            { attributeName: 'pk', attributeType: 'S' },
            { attributeName: 'sk', attributeType: 'S' },
          ],
          keySchema: [
            { attributeName: 'pk', keyType: 'HASH' },
            { attributeName: 'sk', keyType: 'RANGE' },
          ],
          stream: { viewType: 'NEW_AND_OLD_IMAGES' },
        },
      ],
      streamHandlers: [{ name: 'count', table, file: 'count.mjs' }],
      commands: [{ name: 'note', file: 'note.mjs' }],
      recipes: [
        {
          id: 'add-note',
          name: 'Add a note',
          params: [
            { name: 'author', type: 'string' },
            { name: 'note_id', type: 'uuid' },
            { name: 'text', type: 'string' },
          ],
          steps: [
            {
              op: 'Put',
              table,
              item: { pk: '{author}', sk: 'NOTE#{note_id}', text: '{text}' },
              condition: 'attribute_not_exists(#pk)',
            },
          ],
        },
      ],
    }),
  )
  return file
}

let engine: SpawnedEngine
beforeAll(async () => {
  assertBuilt()
  engine = await spawnEngine()
})
afterAll(async () => {
  expect(await engine.stop()).toBe(0)
})

const targets = [
  { name: 'DynamoDB Local', endpoint: () => inject('ddbLocalEndpoint'), table: `cli-rcp-${process.pid}` },
  { name: 'tablewright engine', endpoint: () => engine.endpoint, table: `cli-rcp-engine-${process.pid}` },
]

describe.each(targets)('tablewright run against $name', ({ endpoint, table }) => {
  let model: { dir: string; file: string }
  const conn = () => ['--endpoint', endpoint(), '--model', model.file, '--json']
  const other = {
    uuid: '0b5a3a52-7c61-4d0e-9a7e-3f1c2d4e5f60',
    handle: 'gkar',
    name: "G'Kar",
  }
  const group = '6f0c1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f'
  const startParams = [
    ...['message=Welcome to the table', `message_group_uuid=${group}`, `other_user_uuid=${other.uuid}`],
    ...[`other_user_handle=${other.handle}`, `other_user_display_name=${other.name}`],
    'created_at=2026-12-01T09:00:00.000000+00:00',
  ].flatMap((p) => ['--param', p])

  beforeAll(async () => {
    model = await renamedCruddurModel(table)
    expect((await cli(['schema-load', ...conn()])).code).toBe(0)
    expect((await cli(['seed', ...conn()])).code).toBe(0)
  })
  afterAll(async () => {
    await cli(['drop', table, '--yes', ...conn()])
    rmSync(model.dir, { recursive: true, force: true })
  })

  const scanAll = async (): Promise<Row[]> => (await cli(['scan', table, ...conn()])).json().items as Row[]

  test('start-conversation is one TransactWriteItems; its stream records reach the handler', async () => {
    const r = await cli(['run', 'start-conversation', ...startParams, ...conn()])
    expect(r.code).toBe(0)
    const out = r.json()
    expect(out).toMatchObject({ ok: true, mode: 'transaction', process: 'stream' })
    expect((out.request as { TransactItems: unknown[] }).TransactItems).toHaveLength(3)
    expect((out.writes as Write[]).map((w) => [w.op, w.status])).toEqual([
      ['Put', 'written'],
      ['Put', 'written'],
      ['Put', 'written'],
    ])
    const timeline = out.timeline as Entry[]
    expect(timeline.filter((e) => e.source === 'recipe').map((e) => e.kind)).toEqual([
      'write',
      'write',
      'write',
    ])
    expect(timeline.filter((e) => e.kind === 'stream-record')).toHaveLength(3)
    // The handler reads the conversation's rows for the message and leaves them: they already show it.
    expect(timeline.filter((e) => e.source === 'handler').map((e) => e.kind)).toEqual(
      expect.arrayContaining(['read', 'skip']),
    )
    const rows = (await scanAll()).filter((i) => i.message_group_uuid === group || i.pk === `MSG#${group}`)
    expect(rows.map((i) => String(i.pk).slice(0, 4)).sort()).toEqual(['GRP#', 'GRP#', 'MSG#'])
  })

  test('the same conversation again: the transaction is cancelled and each step shows its reason', async () => {
    const before = await scanAll()
    const r = await cli(['run', 'start-conversation', ...startParams, ...conn()])
    expect(r.code).toBe(1)
    const out = r.json()
    expect(out).toMatchObject({ ok: false, code: 'dynamodb.conditionFailed', mode: 'transaction' })
    const writes = out.writes as Write[]
    expect(writes.map((w) => [w.status, w.reason?.code])).toEqual([
      ['failed', 'ConditionalCheckFailed'],
      ['failed', 'ConditionalCheckFailed'],
      ['failed', 'ConditionalCheckFailed'],
    ])
    // Each refused Put shows the item that was in its way.
    expect(writes.every((w) => w.before?.message === 'Welcome to the table')).toBe(true)
    expect((out.timeline as Entry[]).map((e) => e.kind)).toEqual(['error', 'error', 'error'])
    expect((await scanAll()).length).toBe(before.length)
  })

  test('step by step, the first refusal stops the rest', async () => {
    const r = await cli(['run', 'start-conversation', '--mode', 'steps', ...startParams, ...conn()])
    expect(r.code).toBe(1)
    expect((r.json().writes as Write[]).map((w) => w.status)).toEqual(['failed', 'not-run', 'not-run'])
    expect((r.json().timeline as Entry[]).map((e) => e.kind)).toEqual(['error', 'skip', 'skip'])
  })

  test('send-message into the new conversation: the handler moves both conversation rows to it', async () => {
    const r = await cli([
      'run',
      'send-message',
      ...['--param', `message_group_uuid=${group}`, '--param', 'message=Ambassador.'],
      ...conn(),
    ])
    expect(r.code).toBe(0)
    const out = r.json()
    expect(out).toMatchObject({ ok: true, mode: 'steps', process: 'stream' })
    const handlerWrites = (out.timeline as Entry[]).filter(
      (e) => e.source === 'handler' && e.kind === 'write',
    )
    expect(handlerWrites.length).toBeGreaterThanOrEqual(2)
    const rows = (await scanAll()).filter((i) => i.message_group_uuid === group)
    expect(rows.map((i) => i.message)).toEqual(['Ambassador.', 'Ambassador.'])
  })

  test('readable output numbers each step and prints the requests', async () => {
    const r = await cli([
      'run',
      'send-message',
      ...['--param', `message_group_uuid=${group}`, '--param', 'message=Readable.', '--direct'],
      ...['--endpoint', endpoint(), '--model', model.file],
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^Recipe send-message: Send a message — one request per step; handler via in-process/,
    )
    expect(r.stdout).toMatch(/\n1\. PutItem MSG#/)
    expect(r.stdout).toContain('"TableName"')
    expect(r.stdout).toMatch(/handler: Query message-group-sk-index: 2 item\(s\)/)
  })

  test('an unknown recipe lists the valid ones; a bad --param lists the parameters (exit 2)', async () => {
    const unknown = await cli(['run', 'nope', ...conn()])
    expect(unknown.code).toBe(1)
    expect(unknown.json()).toMatchObject({ ok: false, code: 'recipe.notFound' })
    expect(unknown.json().message).toContain('valid: send-message, start-conversation')
    const bad = await cli(['run', 'send-message', '--param', 'colour=red', '--param', 'message=x', ...conn()])
    expect(bad.code).toBe(2)
    expect(bad.json()).toMatchObject({ ok: false, code: 'recipe.invalidParams' })
    expect(bad.json().message).toContain(
      'colour: not a parameter of recipe send-message. Parameters of send-message: message_group_uuid (uuid',
    )
  })
})

describe('a model of its own, outside the repository', () => {
  const table = `cli-notes-${process.pid}`
  let dir: string
  let file: string
  const conn = () => ['--endpoint', engine.endpoint, '--model', file, '--json']
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tw-notes-'))
    file = notesModel(dir, table)
    expect((await cli(['schema-load', ...conn()])).code).toBe(0)
  })
  afterAll(async () => {
    await cli(['drop', table, '--yes', ...conn()])
    rmSync(dir, { recursive: true, force: true })
  })

  test('run: the recipe writes, and its stream handler (importing the SDK, no node_modules) keeps the count', async () => {
    const r = await cli(['run', 'add-note', '--param', 'author=ada', '--param', 'text=first', ...conn()])
    expect(r.code).toBe(0)
    const timeline = r.json().timeline as Entry[]
    expect(timeline.map((e) => `${e.source}:${e.kind}`)).toEqual([
      'recipe:write',
      'stream:stream-record',
      'handler:write',
    ])
    expect(timeline[2]!.title).toMatch(/^UpdateItem STATS · ada/)
  })

  test("the model's own command runs over the same API", async () => {
    const r = await cli(['note', '--author', 'ada', '--text', 'second', ...conn()])
    expect(r.code).toBe(0)
    expect(r.json()).toEqual({ ok: true, written: 1, notes: 2 })
    const readable = await cli([
      'note',
      '--author',
      'ada',
      '--text',
      'third',
      '--endpoint',
      engine.endpoint,
      '--model',
      file,
    ])
    expect(readable.stdout.trim()).toBe('ada has 3 note(s)')
    const missing = await cli(['note', '--text', 'no author', ...conn()])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("required option '--author <name>' not specified")
  })
})
