/**
 * Time to Live: UpdateTimeToLive, DescribeTimeToLive and the sweeper that deletes expired items.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 *
 * The sweeper runs on the engine's clock (clock.ts): advancing the clock and sweeping expires items at once, so
 * tests and simulations need not wait the hours or days DynamoDB may take.
 */
import { type EngineState, requireTable } from './engine-state'
import { optBool, optObject, optString, reqString, type Req } from './request-shape'
import type { StreamRecord } from './streams'
import { keyOf, type TableState, writeItem } from './table'
import type { Item } from './types'
import { validation } from './types'

/**
 * "It can take up to one hour for the change to fully process. Any additional UpdateTimeToLive calls for the same
 * table during this one hour duration result in a ValidationException." (API reference, UpdateTimeToLive)
 */
export const TTL_CHANGE_INTERVAL_MS = 60 * 60 * 1000

/**
 * "The TTL attribute value must be a datetimestamp with an expiration of no more than five years in the past."
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
 * (five years of 365 days; the guide gives no finer rule).
 */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60

/** The identity DynamoDB puts on the stream records of TTL deletions. */
export const TTL_USER_IDENTITY: NonNullable<StreamRecord['userIdentity']> = {
  PrincipalId: 'dynamodb.amazonaws.com',
  Type: 'Service',
}

/**
 * How long DescribeTimeToLive says ENABLING or DISABLING after a change, by default (engine time). DynamoDB reports
 * those statuses while a change is processed (TimeToLiveStatus: "ENABLING | DISABLING | ENABLED | DISABLED",
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveDescription.html), which "can take
 * up to one hour" (API_UpdateTimeToLive.html). A short default keeps a wall-clock engine usable; the engine's
 * `ttlTransitionMs` option (CLI `--ttl-transition`) sets it, and advancing the clock passes it.
 */
export const TTL_TRANSITION_MS = 5_000

export interface TtlSetting {
  attributeName: string
  enabled: boolean
  /** When UpdateTimeToLive last changed the setting (engine clock, ms). */
  changedAt: number
  /** When the change is fully processed (engine clock, ms); absent in settings saved before there was a transition. */
  settlesAt?: number
}

// Kept on the table object (so a deleted or re-created table starts without TTL, and the durable store saves it with
// the table's other settings).

/** The TTL attribute of a table, when TTL is enabled on it. */
export function ttlAttribute(table: TableState): string | undefined {
  const s = table.ttl
  return s?.enabled ? s.attributeName : undefined
}

export function hasTtlTables(state: EngineState): boolean {
  for (const table of state.tables.values()) if (ttlAttribute(table) !== undefined) return true
  return false
}

export function describeTimeToLive(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'), false)
  const s = table.ttl
  if (s && s.settlesAt !== undefined && state.now() < s.settlesAt) {
    return {
      TimeToLiveDescription: {
        TimeToLiveStatus: s.enabled ? 'ENABLING' : 'DISABLING',
        AttributeName: s.attributeName,
      },
    }
  }
  return {
    TimeToLiveDescription: s?.enabled
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: s.attributeName }
      : { TimeToLiveStatus: 'DISABLED' },
  }
}

const nullMember = (path: string) =>
  validation(
    `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
  )

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
export function updateTimeToLive(state: EngineState, req: Req) {
  const name = reqString(req, 'TableName')
  const spec = optObject(req, 'TimeToLiveSpecification')
  // Both members are required by the API reference (DynamoDB Local 3.3.1 words these checks its own way).
  if (!spec) throw nullMember('timeToLiveSpecification')
  const enabled = optBool(spec, 'Enabled')
  const attributeName = optString(spec, 'AttributeName')
  if (enabled === undefined) throw nullMember('timeToLiveSpecification.enabled')
  if (attributeName === undefined) throw nullMember('timeToLiveSpecification.attributeName')
  if (attributeName.length < 1 || attributeName.length > 255) {
    throw validation(
      `1 validation error detected: Value '${attributeName}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length ${attributeName.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 255'}`,
    )
  }
  const table = requireTable(state, name, false)
  const current = table.ttl
  const now = state.now()
  // Worded as DynamoDB Local 3.3.1 words them.
  if (enabled && current?.enabled) {
    throw validation(
      current.attributeName === attributeName
        ? 'TimeToLive is already enabled'
        : 'TimeToLive is active on a different AttributeName',
    )
  }
  if (!enabled && !current?.enabled) throw validation('TimeToLive is already disabled')
  if (!enabled && current && current.attributeName !== attributeName)
    throw validation('TimeToLive is active on a different AttributeName')
  if (current && now - current.changedAt < TTL_CHANGE_INTERVAL_MS)
    throw validation('Time to live has been modified multiple times within a fixed interval')
  // The sweeper follows the requested setting at once (it deletes while ENABLING, stops while DISABLING); only the
  // reported status passes through the transition.
  table.ttl = {
    attributeName,
    enabled,
    changedAt: now,
    settlesAt: now + (state.ttlTransitionMs ?? TTL_TRANSITION_MS),
  }
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } }
}

/** Whether an item has expired at `nowSeconds`: a top-level Number of epoch seconds, past, but not by five years. */
export function isExpired(item: Item, attribute: string, nowSeconds: number): boolean {
  const v = Object.hasOwn(item, attribute) ? item[attribute] : undefined
  if (!v || !('N' in v)) return false
  const at = Number(v.N)
  return Number.isFinite(at) && at < nowSeconds && at >= nowSeconds - TTL_MAX_AGE_SECONDS
}

/**
 * Deletes expired items of one table in one synchronous step (the one place TTL changes items, for a write-ahead
 * log to record): index entries go with them, and each deletion writes a REMOVE stream record carrying DynamoDB's
 * service identity. TTL deletions consume no capacity.
 */
export function applyTtlDeletions(state: EngineState, table: TableState, expired: readonly Item[]): void {
  for (const item of expired) {
    writeItem(table, keyOf(item, table.schema), undefined)
    state.hub.record(table.name, table.streamArn, table.schema, item, undefined, TTL_USER_IDENTITY)
  }
}

/** One pass of the sweeper over every table with TTL enabled; returns how many items it deleted. */
export function sweepExpiredItems(state: EngineState): number {
  const nowSeconds = state.now() / 1000
  let deleted = 0
  for (const table of state.tables.values()) {
    const attribute = ttlAttribute(table)
    if (attribute === undefined) continue
    const expired: Item[] = []
    for (const item of table.store.all()) if (isExpired(item, attribute, nowSeconds)) expired.push(item)
    if (expired.length === 0) continue
    applyTtlDeletions(state, table, expired)
    deleted += expired.length
  }
  return deleted
}
