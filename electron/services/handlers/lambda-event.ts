import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams'
import { marshall } from '@aws-sdk/util-dynamodb'

/** DynamoDB JSON as Lambda delivers it (binary values base64-encoded, as in any JSON event). */
export type EventAttributeValue = Record<string, unknown>
export type EventImage = Record<string, EventAttributeValue>

/**
 * One record of the event Lambda's DynamoDB Streams event source mapping passes to a function. Shape and field
 * names as in the Lambda developer guide's sample event ("Using AWS Lambda with Amazon DynamoDB",
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): eventVersion "1.1", eventSource "aws:dynamodb",
 * ApproximateCreationDateTime in epoch seconds, images in DynamoDB JSON.
 */
export interface LambdaStreamRecord {
  eventID: string
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  eventVersion: string
  eventSource: 'aws:dynamodb'
  awsRegion: string
  dynamodb: {
    ApproximateCreationDateTime?: number
    Keys: EventImage
    NewImage?: EventImage
    OldImage?: EventImage
    SequenceNumber: string
    SizeBytes: number
    StreamViewType: string
  }
  eventSourceARN: string
}

export interface LambdaStreamEvent {
  Records: LambdaStreamRecord[]
}

/** `binary → base64` all the way down: the Streams client hands out Uint8Array, a Lambda event carries text. */
function jsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  if (Array.isArray(v)) return v.map(jsonValue)
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]))
  return v
}
const image = (x: unknown) => (x ? (jsonValue(x) as EventImage) : undefined)

/** The Lambda event record for a record read through the DynamoDB Streams API. */
export function lambdaRecord(r: StreamsRecord, streamArn: string, region: string): LambdaStreamRecord {
  const d = r.dynamodb ?? {}
  const out: LambdaStreamRecord = {
    eventID: r.eventID ?? '',
    eventName: (r.eventName ?? 'INSERT') as LambdaStreamRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    dynamodb: {
      Keys: image(d.Keys) ?? {},
      SequenceNumber: d.SequenceNumber ?? '',
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType ?? 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: streamArn,
  }
  if (d.ApproximateCreationDateTime)
    out.dynamodb.ApproximateCreationDateTime = Math.floor(d.ApproximateCreationDateTime.getTime() / 1000)
  const newImage = image(d.NewImage)
  const oldImage = image(d.OldImage)
  if (newImage) out.dynamodb.NewImage = newImage
  if (oldImage) out.dynamodb.OldImage = oldImage
  return out
}

/** An INSERT record for an item that was not read from a stream (direct mode: endpoints without streams). */
export function syntheticInsert(
  item: Record<string, unknown>,
  keyAttributes: string[],
  table: string,
  region: string,
  n: number,
): LambdaStreamRecord {
  const newImage = marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true })
  const keys: EventImage = {}
  for (const k of keyAttributes) if (newImage[k]) keys[k] = jsonValue(newImage[k]) as EventAttributeValue
  return {
    eventID: `direct-${n}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys,
      NewImage: jsonValue(newImage) as EventImage,
      SequenceNumber: String(n).padStart(21, '0'),
      SizeBytes: JSON.stringify(newImage).length,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: directStreamArn(table, region),
  }
}

export const directStreamArn = (table: string, region: string) =>
  `arn:aws:dynamodb:${region}:000000000000:table/${table}/stream/direct`

/** The table a stream ARN belongs to: `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL`. */
export function tableOfStreamArn(arn: string): string | undefined {
  return /:table\/([^/]+)\/stream\//.exec(arn)?.[1]
}

export type BatchOutcome =
  | { kind: 'success' }
  /** Records before `retryFrom` are done; the batch is retried from that index. */
  | { kind: 'partial'; retryFrom: number }
  | { kind: 'failure'; reason: string }

/**
 * What Lambda makes of a stream handler's response with ReportBatchItemFailures on
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html): a null or empty
 * response or list is a success; otherwise it checkpoints before the lowest failed sequence number and retries
 * from there; an itemIdentifier that is empty, null or not in the batch makes the whole batch a failure.
 */
export function batchOutcome(
  response: unknown,
  batch: readonly { dynamodb: { SequenceNumber: string } }[],
): BatchOutcome {
  if (response === null || response === undefined || typeof response !== 'object') return { kind: 'success' }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures
  if (failures === null || failures === undefined) return { kind: 'success' }
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' }
  if (failures.length === 0) return { kind: 'success' }
  let lowest = Infinity
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier
    if (typeof id !== 'string' || id === '')
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' }
    const index = batch.findIndex((r) => r.dynamodb.SequenceNumber === id)
    if (index < 0)
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a sequence number of this batch` }
    lowest = Math.min(lowest, index)
  }
  return { kind: 'partial', retryFrom: lowest }
}
