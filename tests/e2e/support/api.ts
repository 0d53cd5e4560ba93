import type { APIRequestContext } from '@playwright/test'
import type { RunningHost } from './fixtures'

/** Calls a contract channel on the browser host, as a second client would: seeds data, or changes it behind the UI's back. */
export async function api<T = unknown>(
  request: APIRequestContext,
  host: RunningHost,
  channel: string,
  input: unknown,
): Promise<T> {
  const res = await request.post(`${host.origin}/api/${channel}`, {
    data: input,
    headers: { 'x-tablewright-token': host.token! },
  })
  const body = (await res.json()) as { ok: true; value: T } | { ok: false; code: string; message: string }
  if (!body.ok) throw new Error(`${channel} failed: ${body.code} ${body.message}`)
  return body.value
}

type Av = { S?: string; N?: string }
export type JsonItem = Record<string, Av & Record<string, unknown>>

/** Loads the Cruddur schema and sample items through the services when the table is not there yet. */
export async function ensureCruddur(
  request: APIRequestContext,
  host: RunningHost,
  connectionId = 'embedded',
): Promise<void> {
  const tables = await api<{ name: string; itemCount: number }[]>(request, host, 'tables:list', {
    connectionId,
  })
  if (tables.some((t) => t.name === 'cruddur-messages' && t.itemCount > 0)) return
  await api(request, host, 'schema:load', { connectionId, modelId: 'cruddur' })
  await api(request, host, 'data:seed', { connectionId, modelId: 'cruddur' })
}

/** Every item of a table, through items:page. */
export async function scanAll(
  request: APIRequestContext,
  host: RunningHost,
  tableName: string,
  connectionId = 'embedded',
) {
  const items: JsonItem[] = []
  let exclusiveStartKey: JsonItem | undefined
  do {
    const page = await api<{ items: JsonItem[]; lastEvaluatedKey?: JsonItem }>(request, host, 'items:page', {
      connectionId,
      tableName,
      limit: 1000,
      ...(exclusiveStartKey ? { exclusiveStartKey } : {}),
    })
    items.push(...page.items)
    exclusiveStartKey = page.lastEvaluatedKey
  } while (exclusiveStartKey)
  return items
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A table name no other test (or earlier run on the same host) uses. */
export const unique = (what: string) =>
  `${what}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** An empty on-demand table with string keys pk and sk, made through the services; returns its name. */
export async function createPkSkTable(request: APIRequestContext, host: RunningHost, prefix = 'e2e') {
  const name = unique(prefix)
  await api(request, host, 'tables:create', {
    connectionId: 'embedded',
    spec: {
      name,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      gsis: [],
      lsis: [],
      billing: { mode: 'PAY_PER_REQUEST' },
      stream: { enabled: false },
    },
  })
  return name
}
