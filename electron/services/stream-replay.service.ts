import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { Model } from '../../shared/domain/model'
import { WorkbenchError } from './errors'
import { getStreamArn, handleRecords, StreamReader, type StreamRecordView } from './stream.service'
import { reportEntries, type TimelineEntry } from './timeline'

/** Finds one record on the table's stream by sequence number and runs the table's handler on it again. */
export async function replayRecord(
  clients: { ddb: DynamoDBClient; streams: DynamoDBStreamsClient },
  model: Model,
  table: string,
  sequenceNumber: string,
): Promise<TimelineEntry[]> {
  const reader = new StreamReader(
    clients.streams,
    await getStreamArn(clients.ddb, clients.streams, table),
    'trim_horizon',
  )
  let found: StreamRecordView | undefined
  for (let round = 0; round < 1000 && !found; round++) {
    const batch = await reader.poll()
    if (batch.length === 0) break
    found = batch.find((r) => r.sequenceNumber === sequenceNumber)
  }
  if (!found) {
    throw new WorkbenchError(
      'stream.unavailable',
      `No record ${sequenceNumber} on the stream of ${table} (older than 24 h, or another stream).`,
    )
  }
  const reports = await handleRecords(clients.ddb, model, table, [found], { streamArn: reader.streamArn })
  return reportEntries(model, table, reports, 'Replayed')
}
