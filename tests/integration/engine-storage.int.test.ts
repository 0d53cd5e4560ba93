import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { Workbench } from '../../electron/services/workbench'
import { assertBuilt, cli } from './cli-helpers'

const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-engine-data-'))
let saved: string | undefined
const open: Workbench[] = []

beforeAll(() => {
  saved = process.env.TABLEWRIGHT_USER_DATA
  process.env.TABLEWRIGHT_USER_DATA = userData
})
afterAll(async () => {
  for (const wb of open) await wb.dispose()
  if (saved === undefined) delete process.env.TABLEWRIGHT_USER_DATA
  else process.env.TABLEWRIGHT_USER_DATA = saved
  rmSync(userData, { recursive: true, force: true })
})

function workbench(): Workbench {
  const wb = new Workbench({ version: 'test', host: 'browser' })
  open.push(wb)
  return wb
}

const TABLE = {
  TableName: 'notes',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'owner', AttributeType: 'S' as const },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byOwner',
      KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
}

/** A dispatch answer's value (fails the test on an error answer). */
function valueOf<T>(answer: { ok: boolean; value?: unknown; message?: string }): T {
  expect(answer.ok, answer.message).toBe(true)
  return answer.value as T
}

const tableNames = (answer: { ok: boolean; value?: unknown }) =>
  valueOf<{ name: string }[]>(answer).map((t) => t.name)

async function note(client: DynamoDBClient, pk: string): Promise<string | undefined> {
  return (await client.send(new GetItemCommand({ TableName: 'notes', Key: { pk: { S: pk } } }))).Item?.text?.S
}

describe('the app keeps the embedded engine in its user data folder', () => {
  test('reopens with its data; shows where it lives; in-memory session; reset needs confirmation', async () => {
    let wb = workbench()
    let client = await wb.connections.client('embedded')
    await client.send(new CreateTableCommand(TABLE))
    await client.send(
      new PutItemCommand({
        TableName: 'notes',
        Item: { pk: { S: 'n1' }, owner: { S: 'ann' }, text: { S: 'kept' } },
      }),
    )
    const storage = await dispatch(wb.handlers, 'engine:storage', { connectionId: 'embedded' })
    expect(storage).toMatchObject({
      ok: true,
      value: { mode: 'disk', dataDir: path.join(userData, 'engine', 'embedded') },
    })
    expect(valueOf<{ bytes: number }>(storage).bytes).toBeGreaterThan(0)

    // The app quits and starts again: the table, its index and the item are there.
    await wb.dispose()
    wb = workbench()
    client = await wb.connections.client('embedded')
    expect(await note(client, 'n1')).toBe('kept')
    const listed = await dispatch(wb.handlers, 'tables:list', { connectionId: 'embedded' })
    expect(tableNames(listed)).toEqual(['notes'])

    // A second app on the same folder is told who holds it.
    const other = workbench()
    const refused = await dispatch(other.handlers, 'connections:connect', { connectionId: 'embedded' })
    expect(refused).toMatchObject({ ok: false, code: 'engine.unavailable' })
    expect(!refused.ok && refused.message).toContain(`in use by PID ${process.pid}`)

    // An in-memory session starts empty and leaves the folder alone; going back finds the data again.
    await dispatch(wb.handlers, 'connections:connect', { connectionId: 'embedded' })
    expect(
      await dispatch(wb.handlers, 'engine:setStorage', { connectionId: 'embedded', action: 'memory' }),
    ).toMatchObject({
      ok: true,
      value: { mode: 'memory' },
    })
    const memory = await wb.connections.client('embedded')
    const empty = await dispatch(wb.handlers, 'tables:list', { connectionId: 'embedded' })
    expect(tableNames(empty)).toEqual([])
    await memory.send(new CreateTableCommand({ ...TABLE, TableName: 'scratch' }))
    await dispatch(wb.handlers, 'engine:setStorage', { connectionId: 'embedded', action: 'disk' })
    const back = await dispatch(wb.handlers, 'tables:list', { connectionId: 'embedded' })
    expect(tableNames(back)).toEqual(['notes'])

    // The CLI sees the same folder, and cannot reset it while the app holds it.
    assertBuilt()
    const env = { TABLEWRIGHT_USER_DATA: userData }
    const shown = await cli(['engine-data', '--json'], env)
    expect(shown.json()).toMatchObject({
      ok: true,
      mode: 'disk',
      dataDir: path.join(userData, 'engine', 'embedded'),
    })
    const held = await cli(['engine-data', '--reset', '--yes', '--json'], env)
    expect(held.code).toBe(1)
    expect(held.json()).toMatchObject({ ok: false, code: 'engine.unavailable' })

    // Reset without confirmation is refused and changes nothing; with it, the tables are gone.
    const unconfirmed = await dispatch(wb.handlers, 'engine:setStorage', {
      connectionId: 'embedded',
      action: 'reset',
    })
    expect(unconfirmed).toMatchObject({ ok: false, code: 'confirm.required' })
    expect(await note(await wb.connections.client('embedded'), 'n1')).toBe('kept')
    const reset = await dispatch(wb.handlers, 'engine:setStorage', {
      connectionId: 'embedded',
      action: 'reset',
      confirm: true,
    })
    expect(reset).toMatchObject({ ok: true, value: { mode: 'disk' } })
    const after = await dispatch(wb.handlers, 'tables:list', { connectionId: 'embedded' })
    expect(tableNames(after)).toEqual([])
  })
})
