import { inject, test, expect } from 'vitest'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { startDynamoDbLocal } from '../../electron/services/dynamodb-local.launcher'
import { isLoopback, listeningAddresses, ownExternalAddresses, tryConnect } from '../support/listening'

test('the DynamoDB Local started by the setup answers ListTables', async () => {
  const client = new DynamoDBClient({
    endpoint: inject('ddbLocalEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const out = await client.send(new ListTablesCommand({}))
  expect(Array.isArray(out.TableNames)).toBe(true)
})

/**
 * What this proves: the kernel's socket table holds the launcher's port bound to a loopback address only, and a
 * connection to each of this machine's own non-loopback addresses is refused while loopback connects. It does not
 * probe from another machine (tests never send traffic off this one). The plain jar, started the same way, shows
 * a wildcard bind and accepts on those addresses: the check can fail.
 */
test('the bundled DynamoDB Local listens on loopback only; the plain jar would listen everywhere', async () => {
  const port = Number(new URL(inject('ddbLocalEndpoint')).port)
  const bound = listeningAddresses(port)
  expect(bound.length).toBeGreaterThan(0)
  expect(bound.filter((a) => !isLoopback(a))).toEqual([])
  expect(await tryConnect('127.0.0.1', port)).toBe('connected')
  const external = ownExternalAddresses()
  for (const address of external) expect(await tryConnect(address, port)).toBe('ECONNREFUSED')

  const plain = await startDynamoDbLocal({ timeoutMs: 60_000, loopbackOnly: false })
  try {
    expect(plain.binding).toBe('all-interfaces')
    expect(listeningAddresses(plain.port).filter((a) => !isLoopback(a)).length).toBeGreaterThan(0)
    for (const address of external) expect(await tryConnect(address, plain.port)).toBe('connected')
  } finally {
    await plain.stop()
  }
})

test('a launch reports its binding', async () => {
  const local = await startDynamoDbLocal({ timeoutMs: 60_000 })
  try {
    expect(local).toMatchObject({ binding: 'loopback', endpoint: `http://127.0.0.1:${local.port}` })
    expect(local.exposedReason).toBeUndefined()
    expect(listeningAddresses(local.port).every(isLoopback)).toBe(true)
  } finally {
    await local.stop()
  }
})
