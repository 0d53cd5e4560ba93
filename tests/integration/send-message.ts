import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { Model } from '../../shared/domain/model'
import { runModelCommand } from '../../electron/services/model-command.service'
import type { RecordReport, StreamRecordView, TransactionsMode } from '../../electron/services/stream.service'

type Row = Record<string, unknown>

/** What Cruddur's send-message command (seeds/cruddur/send-message.mjs) returns. */
export interface SendResult {
  mode: 'stream' | 'direct' | 'none'
  groupUuid: string
  startedConversation: boolean
  message: Row
  steps: (
    | { kind: 'lookup'; detail: string; request: unknown; items: Row[] }
    | { kind: 'put'; pattern: string; request: unknown; item: Row }
    | { kind: 'start'; detail: string; request: unknown; items: Row[]; transactional: boolean }
    | { kind: 'stream'; records: StreamRecordView[] }
  )[]
  handlerReports: RecordReport[]
}

/**
 * Sends a message through the model's own `send-message` command, as `tablewright send-message` does; `process`
 * and `transactions` fix how the stream handler follows, whatever the command would choose.
 */
export async function sendMessage(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient },
  model: Model,
  input: { fromHandle: string; toHandle?: string; groupUuid?: string; text: string; createdAt?: string },
  options: { process?: 'stream' | 'direct' | 'none'; transactions?: TransactionsMode } = {},
): Promise<SendResult> {
  return (await runModelCommand(
    clients,
    model,
    'send-message',
    {
      from: input.fromHandle,
      to: input.toHandle,
      group: input.groupUuid,
      text: input.text,
      at: input.createdAt,
      direct: options.process === 'direct',
    },
    {
      ...(options.process ? { process: options.process } : {}),
      ...(options.transactions ? { transactions: options.transactions } : {}),
    },
  )) as SendResult
}
