/**
 * Wire types of the embedded engine: DynamoDB's own JSON shapes, with no dependency on the AWS SDK so the engine
 * can be published alone. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string } // base64 on the wire; the engine keeps it as base64 text
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }

export type Item = Record<string, AttributeValue>
export type Key = Record<string, AttributeValue>
export type ScalarAttributeType = 'S' | 'N' | 'B'

/** DynamoDB error types the engine can answer with; the HTTP door prefixes them with the service namespace. */
export type DynamoErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ConditionalCheckFailedException'
  | 'ItemCollectionSizeLimitExceededException'
  | 'LimitExceededException'
  | 'UnknownOperationException'
  | 'InternalServerError'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException'
  | 'TransactionCanceledException'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'

/** Errors the engine throws; each door turns them into DynamoDB's error shape. */
export class DynamoError extends Error {
  constructor(
    readonly type: DynamoErrorType,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = type
  }

  get statusCode(): number {
    return this.type === 'InternalServerError' ? 500 : 400
  }
}

export const validation = (message: string) => new DynamoError('ValidationException', message)
