import type { FlowStep } from '../../shared/contract/channels/workbench'
import { classifyEntity, entitiesForTable } from '../../shared/domain/grouping'
import type { Model } from '../../shared/domain/model'
import {
  movedAttributes,
  moveSummary,
  pairMoves,
  type MoveContext,
  type RowChange,
} from '../../shared/domain/moves'
import { rowToJson, type Row } from './item-json'
import type { HandlerStep, RecordReport, StreamRecordView } from './stream.service'

/**
 * One step of a write's timeline, in the model's words only: a write (the recipe's or the handler's), a read, a
 * stream record, a handler log line, a skip, or an error. Items are plain JSON rows here; the contract carries
 * them as DynamoDB JSON.
 */
export interface TimelineEntry {
  kind: 'write' | 'read' | 'stream-record' | 'handler-log' | 'skip' | 'error'
  /** Who did it: the recipe's own request, the table's stream, or the stream handler (user code). */
  source: 'recipe' | 'stream' | 'handler'
  title: string
  table?: string | undefined
  entity?: string | undefined
  request?: unknown
  before?: Row | undefined
  after?: Row | undefined
  items?: Row[] | undefined
  /** A stream record as Lambda would see it (plain JSON images). */
  record?: Row | undefined
  detail?: string | undefined
  /** Why a transaction's action was cancelled (DynamoDB's CancellationReasons entry for it). */
  reason?: { code: string; message?: string | undefined } | undefined
  /** A delete + put of the same logical row (its key changed), shown as one change. */
  moved?: boolean | undefined
}

/** A row's key attribute values, as a short label: `ORDER#5ae2… · 2026-11-20T14:03…`. */
export function keyLabel(model: Model | undefined, table: string | undefined, row: Row | undefined): string {
  if (!row) return ''
  const keys = model?.tables.find((t) => t.name === table)?.keySchema.map((k) => k.attributeName)
  const names = keys ?? Object.keys(row).slice(0, 2)
  return names
    .filter((k) => row[k] !== undefined)
    .map((k) => String(row[k]))
    .join(' · ')
}

export function recordJson(r: StreamRecordView): Row {
  return {
    eventID: r.eventId,
    eventName: r.eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: r.sequenceNumber,
      ApproximateCreationDateTime: r.approximateCreationDateTime,
      Keys: r.keys,
      NewImage: r.newImage,
      OldImage: r.oldImage,
    },
  }
}

export function recordEntry(
  model: Model | undefined,
  table: string,
  r: StreamRecordView,
  prefix = 'Stream record',
): TimelineEntry {
  return {
    kind: 'stream-record',
    source: 'stream',
    title: `${prefix} ${r.eventName} ${keyLabel(model, table, { ...r.keys })}`,
    table,
    record: recordJson(r),
  }
}

const tableOf = (request: unknown) => (request as { TableName?: string } | undefined)?.TableName

/** Key names and entities from the model, for deciding which delete and put are one moved row. */
export function moveContext(model: Model | undefined): MoveContext {
  return {
    keyNames: (table) =>
      model?.tables.find((t) => t.name === table)?.keySchema.map((k) => k.attributeName) ?? [],
    entityOf: (table, row) =>
      model && table
        ? classifyEntity(rowToJson(row), entitiesForTable(model.entities, table))?.name
        : undefined,
  }
}

/** A removal or creation a move can be made of: a write or a stream record with only one side. */
function rowChangeOf(e: TimelineEntry): RowChange | undefined {
  if (e.kind === 'write') return { table: e.table, before: e.before, after: e.after }
  if (e.kind !== 'stream-record') return undefined
  const d = (e.record?.dynamodb ?? {}) as { OldImage?: Row; NewImage?: Row }
  const name = e.record?.eventName
  if (name === 'REMOVE' && d.OldImage) return { table: e.table, before: d.OldImage }
  if (name === 'INSERT' && d.NewImage) return { table: e.table, after: d.NewImage }
  return undefined
}

/**
 * Folds each delete + put of the same logical row (keys cannot be updated, so a moved row is both) into one
 * entry at the put's place: "Moved <entity>: sk old → new, message old → new", with the whole old and new items.
 * Writes pair with writes and stream records with stream records; identity is decided in shared/domain/moves.
 */
export function mergeMoves(model: Model | undefined, entries: TimelineEntry[]): TimelineEntry[] {
  const ctx = moveContext(model)
  const changes = entries.map((e) => rowChangeOf(e) ?? { table: undefined })
  const pairs = ['write', 'stream-record'].flatMap((kind) =>
    pairMoves(
      ctx,
      changes.map((c, i) => (entries[i]!.kind === kind ? c : { table: undefined })),
    ),
  )
  if (pairs.length === 0) return entries
  const dropped = new Set(pairs.map((p) => p.from))
  const merged = new Map<number, TimelineEntry>()
  for (const { from, to } of pairs) {
    const del = entries[from]!
    const put = entries[to]!
    const before = changes[from]!.before!
    const after = changes[to]!.after!
    const entity = ctx.entityOf(put.table, after) ?? ctx.entityOf(del.table, before)
    const keys = ctx.keyNames(put.table)
    const what = moveSummary(movedAttributes(keys, before, after))
    // The partition it stayed in says which row moved; a changed partition is in the summary itself.
    const pk =
      keys[0] !== undefined && String(before[keys[0]]) === String(after[keys[0]])
        ? before[keys[0]]
        : undefined
    const record = put.kind === 'stream-record'
    merged.set(to, {
      kind: put.kind,
      source: put.source,
      title: `${record ? 'Stream records REMOVE + INSERT: ' : ''}Moved ${entity ?? 'row'}${pk === undefined ? '' : ` ${String(pk)}`}: ${what}`,
      table: put.table,
      entity,
      // Both requests, unless they were one (a TransactWriteItems holding the delete and the put).
      request:
        del.request === put.request || !del.request ? put.request : { delete: del.request, put: put.request },
      before,
      after,
      record: put.record,
      detail: record
        ? 'One row moved to a new key: its REMOVE and INSERT records shown as one change.'
        : 'Keys cannot be updated, so the row moved by a delete of the old item and a put of the new one.',
      moved: true,
    })
  }
  return entries.flatMap((e, i) => (dropped.has(i) ? [] : [merged.get(i) ?? e]))
}

/** What the handler did for one record (one run of the handler), as timeline entries; moves folded in. */
export function handlerEntries(model: Model | undefined, steps: HandlerStep[]): TimelineEntry[] {
  return mergeMoves(model, handlerSteps(model, steps))
}

function handlerSteps(model: Model | undefined, steps: HandlerStep[]): TimelineEntry[] {
  const out: TimelineEntry[] = []
  const h = 'handler' as const
  for (const s of steps) {
    switch (s.kind) {
      case 'query': {
        const req = s.request as { IndexName?: string; TableName?: string }
        out.push({
          kind: 'read',
          source: h,
          title: `Query ${req.IndexName ?? req.TableName ?? ''}: ${s.items.length} item(s)`,
          table: req.TableName,
          request: s.request,
          items: s.items,
        })
        break
      }
      case 'read':
        out.push({
          kind: 'read',
          source: h,
          title: `${s.op}: ${s.items.length} item(s)`,
          table: tableOf(s.request),
          request: s.request,
          items: s.items,
        })
        break
      case 'put':
        out.push({
          kind: 'write',
          source: h,
          title: `PutItem ${keyLabel(model, tableOf(s.request), s.after)}`,
          table: tableOf(s.request),
          request: s.request,
          after: s.after,
        })
        break
      case 'delete':
        out.push({
          kind: 'write',
          source: h,
          title: `DeleteItem ${keyLabel(model, tableOf(s.request), s.before)}`,
          table: tableOf(s.request),
          request: s.request,
          before: s.before,
        })
        break
      case 'update':
        out.push({
          kind: 'write',
          source: h,
          title: `UpdateItem ${keyLabel(model, tableOf(s.request), s.key)}`,
          table: tableOf(s.request),
          request: s.request,
          after: s.after,
        })
        break
      case 'transact':
        for (const w of s.writes)
          out.push({
            kind: 'write',
            source: h,
            title: `TransactWriteItems ${w.op} ${keyLabel(model, w.table, w.item)}`,
            table: w.table,
            request: s.request,
            ...(w.op === 'Put' ? { after: w.item } : { before: w.item }),
          })
        break
      case 'write':
        out.push({ kind: 'write', source: h, title: s.op, table: tableOf(s.request), request: s.request })
        break
      case 'log':
        out.push({ kind: 'handler-log', source: h, title: `Handler ${s.level}`, detail: s.text })
        break
      case 'error':
        out.push({
          kind: 'error',
          source: h,
          title: 'Handler error',
          detail: [s.detail, s.location, s.stack].filter(Boolean).join('\n'),
          request: s.request,
        })
        break
      case 'skip':
        out.push({ kind: 'skip', source: h, title: 'Skipped', detail: s.reason, before: s.item })
        break
      case 'conflict':
        out.push({
          kind: 'skip',
          source: h,
          title: 'Conflict: left as is',
          detail: s.detail,
          request: s.request,
        })
        break
      case 'fallback':
        out.push({ kind: 'skip', source: h, title: 'No transactions here', detail: s.detail })
        break
    }
  }
  return out
}

/** Each record followed by what the handler did with it. */
export function reportEntries(
  model: Model | undefined,
  table: string,
  reports: RecordReport[],
  prefix?: string,
): TimelineEntry[] {
  return reports.flatMap((r) => [
    recordEntry(model, table, r.record, prefix),
    ...handlerEntries(model, r.steps),
  ])
}

const json = (row: Row | undefined) => (row ? rowToJson(row) : undefined)

/** Timeline entries as the contract carries them: items in DynamoDB JSON, so numbers and sets survive. */
export function toFlowSteps(entries: TimelineEntry[]): FlowStep[] {
  return entries.map((e) => {
    const step: FlowStep = { kind: e.kind, source: e.source, title: e.title }
    if (e.table) step.table = e.table
    if (e.entity) step.entity = e.entity
    if (e.request) step.request = e.request as Record<string, unknown>
    if (e.before) step.before = json(e.before)
    if (e.after) step.after = json(e.after)
    if (e.items) step.items = e.items.map(rowToJson)
    if (e.detail) step.detail = e.detail
    if (e.reason) step.reason = e.reason
    if (e.record) step.record = recordToContract(e.record)
    if (e.moved) step.moved = true
    return step
  })
}

/** A record from recordJson with its images in DynamoDB JSON. */
export function recordToContract(record: Row): Row {
  const d = (record.dynamodb ?? {}) as Record<string, unknown>
  return {
    ...record,
    dynamodb: {
      ...d,
      Keys: json(d.Keys as Row | undefined),
      NewImage: json(d.NewImage as Row | undefined),
      OldImage: json(d.OldImage as Row | undefined),
    },
  }
}
