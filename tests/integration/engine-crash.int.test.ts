/**
 * Crash harness for the durable engine: `tablewright engine --data-dir` in a child process, several concurrent
 * writers that record every acknowledged write, kill -9 at a random moment, restart, and check that every
 * acknowledged write is there and nothing half-applied is visible. CRASH_CYCLES=50 runs the long variant.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { afterAll, describe, expect, test } from 'vitest'
import { assertBuilt, BIN } from './cli-helpers'

const CYCLES = Number(process.env.CRASH_CYCLES ?? 10)
const WRITERS = 4
const KEYS_PER_WRITER = 40
const TABLE = 'crash'
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const dirs: string[] = []

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

interface Child {
  endpoint: string
  child: ChildProcess
  stderr: () => string
  exited: Promise<void>
}

/** fileSizeLimitKb: run under `ulimit -f`, so log writes past it fail (EFBIG) as they would on a full disk. */
function startEngine(dataDir: string, fileSizeLimitKb?: number): Promise<Child> {
  return new Promise((resolve, reject) => {
    const args = [BIN, 'engine', '--port', '0', '--json', '--data-dir', dataDir]
    const child =
      fileSizeLimitKb === undefined
        ? spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('bash', ['-c', `ulimit -f ${fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, ...args], {
            cwd: root,
            stdio: ['ignore', 'pipe', 'pipe'],
          })
    let out = ''
    let err = ''
    const exited = new Promise<void>((r) => child.on('exit', () => r()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => reject(new Error(`engine exited early (${code}): ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const doc = JSON.parse(out) as { endpoint: string }
        resolve({ endpoint: doc.endpoint, child, stderr: () => err, exited })
      } catch {
        // not the whole document yet
      }
    })
  })
}

const clientFor = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'crash', secretAccessKey: 'crash' },
    // One attempt: a request cut by the kill is "unknown", never silently retried against the next engine.
    maxAttempts: 1,
  })

/** What a key may hold: its last acknowledged value (null: deleted or never written) and an unacknowledged one. */
interface KeyState {
  acked: string | null
  inFlight: string | null | undefined
}

const keyOf = (w: number, k: number) => ({ pk: { S: `w${w}` }, sk: { S: `k${String(k).padStart(3, '0')}` } })

describe('durable engine under kill -9', () => {
  test(
    `${CYCLES} crash cycles lose no acknowledged write and show no half-applied one`,
    async () => {
      assertBuilt()
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-crash-'))
      dirs.push(dir)
      const model = new Map<string, KeyState>()
      for (let w = 0; w < WRITERS; w++)
        for (let k = 0; k < KEYS_PER_WRITER; k++)
          model.set(`w${w}/${keyOf(w, k).sk.S}`, { acked: null, inFlight: undefined })

      let engine = await startEngine(dir)
      let client = clientFor(engine.endpoint)
      await client.send(
        new CreateTableCommand({
          TableName: TABLE,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byG',
              KeySchema: [
                { AttributeName: 'g', KeyType: 'HASH' },
                { AttributeName: 'sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      )
      let acknowledged = 0
      let unknown = 0
      const restartMs: number[] = []

      for (let cycle = 0; cycle < CYCLES; cycle++) {
        let stop = false
        const writer = async (w: number) => {
          let n = 0
          while (!stop) {
            n++
            const value = `c${cycle}-w${w}-${n}`
            const kind = n % 7
            if (kind === 0) {
              // A batch of distinct keys: each item is acknowledged with the batch.
              const ks = Array.from({ length: 5 }, (_, i) => (n * 5 + i) % KEYS_PER_WRITER)
              const states = ks.map((k) => model.get(`w${w}/${keyOf(w, k).sk.S}`)!)
              states.forEach((s) => (s.inFlight = value))
              let out
              try {
                out = await client.send(
                  new BatchWriteItemCommand({
                    RequestItems: { [TABLE]: ks.map((k) => ({ PutRequest: { Item: item(w, k, value) } })) },
                  }),
                )
              } catch {
                return
              }
              expect(out.UnprocessedItems?.[TABLE] ?? []).toEqual([])
              for (const s of states) {
                s.acked = value
                s.inFlight = undefined
              }
              acknowledged += ks.length
              continue
            }
            const k = (n * 13 + w) % KEYS_PER_WRITER
            const state = model.get(`w${w}/${keyOf(w, k).sk.S}`)!
            const del = kind === 3
            state.inFlight = del ? null : value
            try {
              if (del) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: keyOf(w, k) }))
              else if (kind % 2 === 0)
                await client.send(new PutItemCommand({ TableName: TABLE, Item: item(w, k, value) }))
              else
                await client.send(
                  new UpdateItemCommand({
                    TableName: TABLE,
                    Key: keyOf(w, k),
                    UpdateExpression: 'SET a = :v, b = :v, g = :g',
                    ExpressionAttributeValues: { ':v': { S: value }, ':g': { S: `w${w}` } },
                  }),
                )
              state.acked = del ? null : value
              state.inFlight = undefined
              acknowledged++
            } catch {
              return
            }
          }
        }
        const running = Array.from({ length: WRITERS }, (_, w) => writer(w))
        // A random moment: after some writes have been acknowledged, while others are in flight.
        await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 400)))
        engine.child.kill('SIGKILL')
        await engine.exited
        stop = true
        await Promise.all(running)
        client.destroy()

        const started = performance.now()
        engine = await startEngine(dir)
        client = clientFor(engine.endpoint)
        await client.send(new DescribeTableCommand({ TableName: TABLE }))
        restartMs.push(performance.now() - started)

        const items = await scanAll(client)
        const byKey = new Map(items.map((i) => [`${i.pk!.S}/${i.sk!.S}`, i]))
        for (const [key, state] of model) {
          const got = byKey.get(key)
          const value = got ? (got.a?.S ?? null) : null
          if (got) expect(got.b?.S, `${key}: both attributes of one write`).toBe(got.a?.S)
          if (state.inFlight !== undefined && value === state.inFlight) {
            state.acked = value
            unknown++
          } else expect(value, `${key} after cycle ${cycle}`).toBe(state.acked)
          state.inFlight = undefined
        }
        // The index holds exactly the table's items.
        for (let w = 0; w < WRITERS; w++) {
          const q = await client.send(
            new QueryCommand({
              TableName: TABLE,
              IndexName: 'byG',
              KeyConditionExpression: 'g = :g',
              ExpressionAttributeValues: { ':g': { S: `w${w}` } },
            }),
          )
          expect(q.Items?.map((i) => `${i.sk!.S}=${i.a!.S}`).sort()).toEqual(
            items
              .filter((i) => i.pk!.S === `w${w}`)
              .map((i) => `${i.sk!.S}=${i.a!.S}`)
              .sort(),
          )
        }
      }

      // The stream kept a record of every change that survived, in order, across every restart.
      const streams = new DynamoDBStreamsClient({
        endpoint: engine.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'crash', secretAccessKey: 'crash' },
      })
      const arn = (await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table!.LatestStreamArn!
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!
        .Shards![0]!.ShardId!
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
        )
      ).ShardIterator
      const last = new Map<string, string | null>()
      let previous = 0n
      for (;;) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }))
        for (const r of page.Records ?? []) {
          const seq = BigInt(r.dynamodb!.SequenceNumber!)
          expect(seq).toBeGreaterThan(previous)
          previous = seq
          last.set(
            `${r.dynamodb!.Keys!.pk!.S}/${r.dynamodb!.Keys!.sk!.S}`,
            r.dynamodb!.NewImage?.a?.S ?? null,
          )
        }
        if ((page.Records ?? []).length === 0) break
        iterator = page.NextShardIterator
      }
      for (const [key, state] of model)
        expect(last.get(key) ?? null, `stream's last image of ${key}`).toBe(state.acked)
      streams.destroy()

      // A tail damaged on purpose: the engine opens, says what it dropped, and keeps everything before it.
      engine.child.kill('SIGKILL')
      await engine.exited
      client.destroy()
      const logs = readdirSync(dir)
        .filter((f) => f.endsWith('.twlog'))
        .sort()
      appendFileSync(path.join(dir, logs.at(-1)!), Buffer.from([0x40, 0, 0, 0, 1, 2, 3, 4, 5, 6]))
      engine = await startEngine(dir)
      client = clientFor(engine.endpoint)
      const after = await scanAll(client)
      expect(engine.stderr()).toMatch(/warning: Dropped 10 bytes at byte \d+ of .*\.twlog/)
      expect(after.length).toBe([...model.values()].filter((s) => s.acked !== null).length)
      engine.child.kill('SIGTERM')
      await engine.exited
      client.destroy()
      console.log(
        `crash harness: ${CYCLES} cycles, ${acknowledged} acknowledged writes, ${unknown} unacknowledged ones found applied, ` +
          `restart to first answer median ${Math.round(restartMs.sort((a, b) => a - b)[restartMs.length >> 1]!)} ms`,
      )
    },
    60_000 + CYCLES * 10_000,
  )
})

describe('durable engine on a full disk', () => {
  test('a write the disk refuses fails with a clear error, is not applied, and loses nothing acknowledged', async () => {
    assertBuilt()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-full-'))
    dirs.push(dir)
    let engine = await startEngine(dir, 48)
    let client = clientFor(engine.endpoint)
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    const acked: string[] = []
    let failure: (Error & { $metadata?: { httpStatusCode?: number } }) | undefined
    for (let i = 0; i < 2000 && !failure; i++) {
      const sk = `k${String(i).padStart(4, '0')}`
      try {
        await client.send(
          new PutItemCommand({
            TableName: TABLE,
            Item: { pk: { S: 'p' }, sk: { S: sk }, pad: { S: 'x'.repeat(200) } },
          }),
        )
        acked.push(sk)
      } catch (err) {
        failure = err as Error
      }
    }
    expect(failure?.name).toBe('ServiceUnavailable')
    expect(failure?.$metadata?.httpStatusCode).toBe(503)
    expect(failure?.message).toContain(`could not write to its data directory ${dir}`)
    expect(acked.length).toBeGreaterThan(10)
    // The engine keeps answering, from exactly what was acknowledged.
    expect((await scanAll(client)).map((i) => i.sk!.S)).toEqual(acked)
    engine.child.kill('SIGKILL')
    await engine.exited
    client.destroy()

    engine = await startEngine(dir)
    client = clientFor(engine.endpoint)
    expect((await scanAll(client)).map((i) => i.sk!.S)).toEqual(acked)
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'p' }, sk: { S: 'after' } } }))
    expect((await scanAll(client)).length).toBe(acked.length + 1)
    engine.child.kill('SIGTERM')
    await engine.exited
    client.destroy()
  })
})

function item(w: number, k: number, value: string): Record<string, AttributeValue> {
  return { ...keyOf(w, k), a: { S: value }, b: { S: value }, g: { S: `w${w}` } }
}

async function scanAll(client: DynamoDBClient): Promise<Record<string, AttributeValue>[]> {
  const out: Record<string, AttributeValue>[] = []
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }))
    out.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return out
}
