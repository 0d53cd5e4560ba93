import { afterAll, beforeAll, expect, test } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { createEngine, startEngineServer, type Engine, type EngineServer } from '../engine'
import { Workbench } from './workbench'

// "Test" on a draft connection, against the real embedded engine over HTTP on loopback (a custom endpoint).
let engine: Engine
let server: EngineServer
let wb: Workbench
beforeAll(async () => {
  engine = createEngine({ region: 'us-east-1' })
  server = await startEngineServer(engine, { port: 0, host: '127.0.0.1' })
  wb = new Workbench({
    version: 'test',
    host: 'browser',
    profiles: [{ id: 'embedded', name: 'Embedded', kind: 'embedded', region: 'us-east-1' }],
  })
})
afterAll(async () => {
  await wb.dispose()
  await server.close()
  await engine.close()
})

test('a custom endpoint that answers: ok, with its table count; nothing is saved', async () => {
  const answer = await dispatch(wb.handlers, 'connections:test', {
    name: 'Alternator-ish',
    kind: 'custom',
    endpoint: server.endpoint,
  })
  expect(answer).toMatchObject({ ok: true, value: { ok: true, tables: 0 } })
  expect((answer as { value: { message: string } }).value.message).toBe(
    `Connected to ${server.endpoint}: 0 tables.`,
  )
  const list = await dispatch(wb.handlers, 'connections:list', {})
  expect((list as { value: unknown[] }).value).toHaveLength(1)
})

test('nothing listening: a failed result in plain words, not an error', async () => {
  // Port 9 (discard) on loopback: refused at once, and nothing leaves the machine.
  const answer = await dispatch(wb.handlers, 'connections:test', {
    name: 'Nowhere',
    kind: 'dynamodb-local',
    endpoint: 'http://127.0.0.1:9',
  })
  expect(answer).toMatchObject({ ok: true, value: { ok: false } })
  expect((answer as { value: { message: string } }).value.message).toMatch(
    /^Could not use http:\/\/127\.0\.0\.1:9: /,
  )
})

test('an endpoint without a scheme is refused with an example; a custom one without endpoint is named', async () => {
  const bare = await dispatch(wb.handlers, 'connections:test', {
    name: 'Bare',
    kind: 'custom',
    endpoint: 'localhost:8000',
  })
  expect(bare).toMatchObject({ ok: false, code: 'input.invalid' })
  expect((bare as { message: string }).message).toContain('e.g. http://localhost:8000')
  const none = await dispatch(wb.handlers, 'connections:test', { name: 'None', kind: 'custom' })
  expect(none).toMatchObject({ ok: true, value: { ok: false, code: 'input.invalid' } })
  const saved = await dispatch(wb.handlers, 'connections:save', { name: 'None', kind: 'custom' })
  expect(saved).toMatchObject({ ok: false, code: 'input.invalid' })
})

test('a custom connection saved, connected and listed as writable', async () => {
  const saved = await dispatch(wb.handlers, 'connections:save', {
    name: 'Shared engine',
    kind: 'custom',
    endpoint: server.endpoint,
  })
  expect(saved).toMatchObject({ ok: true, value: { kind: 'custom', readOnly: false, builtIn: false } })
  const id = (saved as { value: { id: string } }).value.id
  const connected = await dispatch(wb.handlers, 'connections:connect', { connectionId: id })
  expect(connected).toMatchObject({ ok: true, value: { status: 'connected', endpoint: server.endpoint } })
})
