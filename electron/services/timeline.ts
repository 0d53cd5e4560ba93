import type { FlowStep } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
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

/** What the handler did for one record, as timeline entries. */
export function handlerEntries(model: Model | undefined, steps: HandlerStep[]): TimelineEntry[] {
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
