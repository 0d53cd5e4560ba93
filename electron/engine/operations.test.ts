import { describe, expect, test } from 'vitest'
// The engine's own module, not its index: operation groups load on first use here, as in `tablewright engine`.
import { createEngine, openEngine } from './engine'
import { startEngineServer } from './http-server'

const TABLE = {
  TableName: 'tbl',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

describe('operations loaded on first use', () => {
  test('handle() refuses a group not loaded yet; call() and prepare() load it', async () => {
    const engine = createEngine()
    engine.handle('CreateTable', TABLE)
    // No test in this file loads the backups group.
    expect(() => engine.handle('ListBackups', {})).toThrow(/await engine.prepare/)
    expect(engine.prepare('ListTables')).toBeUndefined()
    expect(engine.prepare('NoSuchOperation')).toBeUndefined()
    await engine.call('PutItem', { TableName: 'tbl', Item: { pk: { S: 'a' } } })
    expect(engine.prepare('GetItem')).toBeUndefined()
    expect(engine.handle('GetItem', { TableName: 'tbl', Key: { pk: { S: 'a' } } })).toEqual({
      Item: { pk: { S: 'a' } },
    })
    await engine.prepare('ExecuteStatement')
    expect(engine.handle('ExecuteStatement', { Statement: `SELECT * FROM "tbl"` })).toMatchObject({
      Items: [{ pk: { S: 'a' } }],
    })
  })

  test('an unknown operation is still UnknownOperationException', async () => {
    await expect(createEngine().call('RestoreEverything', {})).rejects.toMatchObject({
      type: 'UnknownOperationException',
    })
  })

  test('the HTTP door loads the group before answering', async () => {
    const engine = createEngine()
    engine.handle('CreateTable', TABLE)
    const server = await startEngineServer(engine, { port: 0 })
    try {
      const res = await fetch(server.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.TransactWriteItems',
        },
        body: JSON.stringify({ TransactItems: [{ Put: { TableName: 'tbl', Item: { pk: { S: 'b' } } } }] }),
      })
      expect(res.status).toBe(200)
      expect(engine.handle('Scan', { TableName: 'tbl' })).toMatchObject({ Count: 1 })
    } finally {
      await server.close()
    }
  })

  test('createEngine with a dataDir needs the store loaded; openEngine loads it', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'tw-ops-'))
    try {
      const engine = await openEngine({ dataDir: dir })
      expect(engine.storageInfo()).toBeDefined()
      await engine.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
