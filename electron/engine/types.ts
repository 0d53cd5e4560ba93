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
  | 'ServiceUnavailable'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException'
  | 'TransactionCanceledException'
  | 'DuplicateItemException'
  | 'TableNotFoundException'
  | 'TableAlreadyExistsException'
  | 'BackupNotFoundException'
  | 'PointInTimeRecoveryUnavailableException'
  | 'InvalidRestoreTimeException'
  | 'IdempotentParameterMismatchException'
  | 'TransactionInProgressException'
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
    if (this.type === 'ServiceUnavailable') return 503
    return this.type === 'InternalServerError' ? 500 : 400
  }
}

export const validation = (message: string) => new DynamoError('ValidationException', message)

export const serialization = (message: string) => new DynamoError('SerializationException', message)

/**
 * DynamoDB's JSON reader (Jackson) names the token it found when a member has the wrong JSON type, as in
 * `NUMBER_VALUE cannot be converted to String`. Token names as dynalite recorded them from DynamoDB
 * (node_modules/dynalite/validations/index.js, checkType).
 */
export function wrongJsonType(v: unknown, expected: 'String' | 'Integer' | 'Long' | 'Boolean'): DynamoError {
  if (Array.isArray(v)) return serialization(`Unrecognized collection type class java.lang.${expected}`)
  if (v !== null && typeof v === 'object')
    return serialization('Start of structure or map found where not expected')
  return serialization(`${jsonToken(v)} cannot be converted to ${expected}`)
}

export function jsonToken(v: unknown): string {
  if (typeof v === 'string') return 'STRING_VALUE'
  if (typeof v === 'number') return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE'
  if (Array.isArray(v)) return 'START_ARRAY'
  if (v === null) return 'VALUE_NULL'
  return 'START_OBJECT'
}

/**
 * A Boolean member as DynamoDB's reader takes it: JSON booleans, and the strings true/1/yes and false/0/no in any
 * case (DynamoDB Local 3.3.1 and dynalite alike); any other string fails to parse.
 */
export function readBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') {
    const s = v.toUpperCase()
    if (s === 'TRUE' || s === '1' || s === 'YES') return true
    if (s === 'FALSE' || s === '0' || s === 'NO') return false
    throw serialization('Unexpected token received from parser')
  }
  throw wrongJsonType(v, 'Boolean')
}
