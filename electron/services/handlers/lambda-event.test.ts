import { describe, expect, test } from 'vitest'
import { batchOutcome, lambdaRecord, syntheticInsert, tableOfStreamArn } from './lambda-event'

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/notes/stream/2026-12-05T21:06:06.928'
const batch = ['100', '200', '300'].map((n) => ({ dynamodb: { SequenceNumber: n } }))

describe('the Lambda event for DynamoDB Streams', () => {
  test('a Streams record becomes a Lambda record: epoch seconds, eventSource, the ARN, binary as base64', () => {
    const r = lambdaRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-12-05T21:06:07.500Z'),
          Keys: { id: { S: 'a' } },
          NewImage: { id: { S: 'a' }, blob: { B: new Uint8Array([1, 2, 3]) } },
          OldImage: { id: { S: 'a' } },
          SequenceNumber: '100',
          SizeBytes: 12,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      ARN,
      'eu-west-1',
    )
    expect(r).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1796504767,
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, blob: { B: 'AQID' } },
        OldImage: { id: { S: 'a' } },
        SequenceNumber: '100',
        SizeBytes: 12,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: ARN,
    })
  })

  test('an item becomes a synthetic INSERT whose ARN names its table', () => {
    const r = syntheticInsert({ id: 'a', n: 2 }, ['id'], 'notes', 'us-east-1', 3)
    expect(r).toMatchObject({
      eventName: 'INSERT',
      dynamodb: { Keys: { id: { S: 'a' } }, NewImage: { id: { S: 'a' }, n: { N: '2' } } },
    })
    expect(tableOfStreamArn(r.eventSourceARN)).toBe('notes')
    expect(tableOfStreamArn(ARN)).toBe('notes')
  })
})

describe('reading a batch response as ReportBatchItemFailures does', () => {
  test('nothing, null, an empty list or a response without the field is a success', () => {
    for (const response of [
      undefined,
      null,
      {},
      { batchItemFailures: [] },
      { batchItemFailures: null },
      'done',
    ])
      expect(batchOutcome(response, batch)).toEqual({ kind: 'success' })
  })

  test('retries from the lowest failed sequence number of the batch', () => {
    const r = batchOutcome(
      { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] },
      batch,
    )
    expect(r).toEqual({ kind: 'partial', retryFrom: 1 })
  })

  test('an empty, missing or unknown itemIdentifier fails the whole batch', () => {
    expect(batchOutcome({ batchItemFailures: [{ itemIdentifier: '' }] }, batch).kind).toBe('failure')
    expect(batchOutcome({ batchItemFailures: [{}] }, batch).kind).toBe('failure')
    expect(batchOutcome({ batchItemFailures: [{ itemIdentifier: '999' }] }, batch)).toMatchObject({
      kind: 'failure',
      reason: expect.stringContaining('999'),
    })
    expect(batchOutcome({ batchItemFailures: 'all' }, batch).kind).toBe('failure')
  })
})
