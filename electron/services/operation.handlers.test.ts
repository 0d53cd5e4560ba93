import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { OperationResult, OperationSpec } from '../../shared/contract/channels/operations'
import type { ItemJson } from '../../shared/contract/channels/workbench'
import { dispatch } from '../../shared/contract/dispatch'
import { Workbench } from './workbench'

const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-ops-run-'))
const historyFile = path.join(dir, 'operation-history.json')
const TABLE = 'notes'
let wb: Workbench
let client: DynamoDBClient
/** Every command the services sent through the connection's client, by SDK command name. */
const sent: string[] = []
const describes = () => sent.filter((c) => c === 'DescribeTableCommand').length

async function ok<T>(channel: string, input: unknown): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the channel is chosen per call
  const r = await dispatch(wb.handlers, channel as any, input)
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.value as T
}

const run = (spec: OperationSpec, exclusiveStartKey?: ItemJson) =>
  ok<OperationResult>('ops:run', {
    connectionId: 'embedded',
    spec,
    ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
  })

async function createNotes(sortType: 'N' | 'S'): Promise<void> {
  await ok('tables:create', {
    connectionId: 'embedded',
    spec: {
      name: TABLE,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'n', type: sortType },
      gsis: [],
      lsis: [],
      billing: { mode: 'PAY_PER_REQUEST' },
      stream: { enabled: false },
    },
  })
  for (let n = 1; n <= 7; n++)
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: 'A' }, n: { [sortType]: String(n) } as never },
      }),
    )
}

const ns = (r: OperationResult) => r.items.map((i) => Object.values(i.n as Record<string, string>)[0])

beforeAll(async () => {
  wb = new Workbench({
    version: 'test',
    host: 'browser',
    profiles: [{ id: 'embedded', name: 'Embedded', kind: 'embedded', region: 'us-east-1' }],
    operationHistoryFile: historyFile,
  })
  client = await wb.connections.client('embedded')
  // Observes what the services send; the requests still reach the real in-process engine.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? '')
      return next(args)
    },
    { step: 'initialize', name: 'countCommands' },
  )
  await createNotes('N')
})

afterAll(async () => {
  await wb.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('ops:run pages a Query', () => {
  const spec: OperationSpec = { operation: 'Query', table: TABLE, partitionValue: 'A', limit: 3 }

  test('three pages cost one DescribeTable and one history entry', async () => {
    sent.length = 0
    const first = await run(spec)
    const second = await run(spec, first.lastEvaluatedKey)
    const third = await run(spec, second.lastEvaluatedKey)
    expect([ns(first), ns(second), ns(third)]).toEqual([['1', '2', '3'], ['4', '5', '6'], ['7']])
    expect(third.lastEvaluatedKey).toBeUndefined()
    expect(describes()).toBe(1)
    expect(sent.filter((c) => c === 'QueryCommand')).toHaveLength(3)

    // The run is recorded once: the entry the first page wrote is the one still there (same id and time).
    const history = await ok<{ recent: { id: string; at: string; spec: OperationSpec }[] }>('ops:history', {})
    expect(history.recent.filter((e) => e.spec.table === TABLE)).toHaveLength(1)
    const onDisk = JSON.parse(readFileSync(historyFile, 'utf8')) as { recent: { id: string }[] }
    expect(onDisk.recent[0]?.id).toBe(history.recent[0]?.id)
  })

  test('a new run describes the table again; a changed spec on a later page is recorded', async () => {
    const first = await run(spec)
    sent.length = 0
    await run(spec)
    expect(describes()).toBe(1)
    const desc: OperationSpec = { ...spec, direction: 'desc' }
    await run(desc, first.lastEvaluatedKey)
    const history = await ok<{ recent: { spec: OperationSpec }[] }>('ops:history', {})
    expect(history.recent[0]?.spec).toEqual(desc)
  })

  test('a table recreated through the services with another key type is described again mid-run', async () => {
    const ranged: OperationSpec = { ...spec, sortOperator: '>=', sortValue: '1' }
    const first = await run(ranged)
    expect(ns(first)).toEqual(['1', '2', '3'])
    await ok('tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
    await createNotes('S')
    sent.length = 0
    // A kept description would type '1' as a number against a string sort key, which DynamoDB refuses.
    const next = await run(ranged, { pk: { S: 'A' }, n: { S: '3' } })
    expect(describes()).toBe(1)
    expect(next.request.input.ExpressionAttributeValues).toMatchObject({ ':v1': { S: '1' } })
    expect(ns(next)).toEqual(['4', '5', '6'])
  })
})
