import type { ErrorCode, ErrorResult } from '../../shared/contract/errors'

/** The one error type the workbench services throw: a catalogue code, a human message, and details for the UI/CLI. */
export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'WorkbenchError'
  }

  toResult(): ErrorResult {
    return this.details === undefined
      ? { ok: false, code: this.code, message: this.message }
      : { ok: false, code: this.code, message: this.message, details: this.details }
  }
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
])
const CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
  'AccessDeniedException',
])
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'TimeoutError',
])

/**
 * Maps anything thrown by the AWS SDK (or Node's network layer) to a WorkbenchError, keeping DynamoDB's own
 * error name and message in details so nothing the service said is lost.
 */
export function toWorkbenchError(err: unknown, context?: Record<string, unknown>): WorkbenchError {
  if (err instanceof WorkbenchError) return err
  const e = (err ?? {}) as {
    name?: string
    message?: string
    code?: string
    $metadata?: { httpStatusCode?: number; requestId?: string }
    CancellationReasons?: { Code?: string; Message?: string }[]
  }
  const name = e.name ?? 'Error'
  const message = e.message ?? String(err)
  const details: Record<string, unknown> = { ...context, dynamodbError: name, dynamodbMessage: message }
  if (e.$metadata?.httpStatusCode !== undefined) details.httpStatusCode = e.$metadata.httpStatusCode
  if (e.$metadata?.requestId) details.requestId = e.$metadata.requestId
  if (e.CancellationReasons) details.cancellationReasons = e.CancellationReasons

  let code: ErrorCode
  if (name === 'ResourceNotFoundException') code = 'table.notFound'
  else if (name === 'ResourceInUseException') code = 'table.exists'
  else if (name === 'ConditionalCheckFailedException') code = 'dynamodb.conditionFailed'
  else if (name === 'TransactionCanceledException')
    code = e.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
      ? 'dynamodb.conditionFailed'
      : 'dynamodb.error'
  else if (THROTTLED.has(name)) code = 'dynamodb.throttled'
  else if (name === 'ValidationException' || name === 'SerializationException') code = 'dynamodb.validation'
  else if (CREDENTIALS.has(name)) code = 'connection.credentials'
  else if (UNREACHABLE.has(name) || (e.code !== undefined && UNREACHABLE.has(e.code)))
    code = 'connection.unavailable'
  else if (e.$metadata) code = 'dynamodb.error'
  else code = 'internal'
  return new WorkbenchError(code, message, details)
}

/** Runs an SDK call and rethrows its failure as a WorkbenchError. */
export async function sdk<T>(run: () => Promise<T>, context?: Record<string, unknown>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    throw toWorkbenchError(err, context)
  }
}
