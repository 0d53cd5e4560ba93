import { performance } from 'node:perf_hooks'
import { createEngine, startEngineServer } from '../electron/engine'
import { groupOfFor, message, wireItem } from './engine-data'

const [mode, dir, nArg] = process.argv.slice(2)
const CREATE = {
  TableName: 'messages',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
}
async function post(endpoint: string, op: string, body: unknown) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Record<string, unknown>
}
if (mode === 'build' || mode === 'build-crash') {
  const n = Number(nArg)
  const engine = createEngine({ dataDir: dir })
  await engine.call('CreateTable', CREATE)
  const groupOf = groupOfFor(Math.floor(n / 10))
  for (let i = 0; i < n; i += 25) {
    const reqs = []
    for (let j = i; j < Math.min(n, i + 25); j++) reqs.push({ PutRequest: { Item: wireItem(message(j, groupOf)) } })
    engine.handle('BatchWriteItem', { RequestItems: { messages: reqs } })
    if (i % 5000 === 0) await engine.settled()
  }
  await engine.settled()
  // 'build-crash' leaves the directory as a kill -9 after the load would: no final snapshot, no close.
  if (mode === 'build-crash') process.exit(0)
  await engine.compact()
  await engine.close()
} else if (mode === 'serve') {
  const t0 = performance.now()
  const engine = createEngine(
    dir === '-' ? {} : { dataDir: dir, loadInBackground: process.env.BG === '1' },
  )
  const t1 = performance.now()
  const server = await startEngineServer(engine, { port: 0 })
  process.send?.({ endpoint: server.endpoint, modules: t0, createEngine: t1 - t0 })
  process.on('message', () => process.exit(0))
} else {
  // restart DIR: a server process on DIR, timed from its spawn to its first answered ListTables and Query.
  const { fork } = await import('node:child_process')
  const t0 = performance.now()
  const child = fork(process.argv[1] as string, ['serve', dir as string], { stdio: 'inherit' })
  const info = await new Promise<{ endpoint: string; modules: number; createEngine: number }>((resolve) =>
    child.once('message', resolve as never),
  )
  const t1 = performance.now()
  const l = await post(info.endpoint, 'ListTables', {})
  const t2 = performance.now()
  const q = await post(info.endpoint, 'Query', {
    TableName: 'messages',
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': { S: 'GROUP#000' } },
    ScanIndexForward: false,
    Limit: 20,
  })
  const t3 = performance.now()
  console.log(
    JSON.stringify({
      bg: process.env.BG === '1',
      listening: Math.round(t1 - t0),
      childModules: Math.round(info.modules),
      childCreateEngine: Math.round(info.createEngine),
      firstListTables: Math.round(t2 - t0),
      firstQuery: Math.round(t3 - t0),
      list: l.TableNames,
      query: (q.Items as unknown[] | undefined)?.length ?? q.__type,
    }),
  )
  child.send('exit')
}
