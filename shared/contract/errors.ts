/**
 * The one catalogue of error codes that cross a boundary (IPC, HTTP, CLI). Append-only: codes are part of the
 * contract the renderer and scripts rely on.
 */
export const ErrorCodes = [
  'input.invalid',
  'channel.unknown',
  'auth.required',
  'internal',
  'connection.notFound',
  'connection.unavailable',
  'connection.readOnly',
  'connection.credentials',
  'table.notFound',
  'table.exists',
  'item.conflict',
  'item.notFound',
  /** The items a view was asked of are no longer held by the host (a newer load of the table replaced them). */
  'view.expired',
  'model.invalid',
  'model.notFound',
  'pattern.notFound',
  'pattern.invalidParams',
  'confirm.required',
  'dynamodb.error',
  'dynamodb.validation',
  'dynamodb.conditionFailed',
  'dynamodb.throttled',
  'stream.unavailable',
  'engine.unavailable',
  /** The saved connection profiles file exists but cannot be read as profiles (it is left as it is). */
  'profiles.invalid',
  /** A stream handler (user code) failed: it threw, timed out or could not load, and its batch ran out of retries. */
  'handler.failed',
  /** Another process held the saved connections file's lock for too long. */
  'profiles.locked',
  /** A model file changed on disk since the editor read it; saving over it would lose that change. */
  'model.conflict',
  /** The model has no write recipe of that name (details.valid lists the names it has). */
  'recipe.notFound',
  /** A write recipe's parameters were missing, unknown or of the wrong type (details.valid lists the parameters). */
  'recipe.invalidParams',
  /** `check` ran and at least one pattern or recipe failed its expectations (the report says which). */
  'check.failed',
  /** A traffic profile names a pattern the model does not have, or is malformed. */
  'traffic.invalid',
] as const

export type ErrorCode = (typeof ErrorCodes)[number]

export interface ErrorResult {
  ok: false
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

export interface OkResult<T> {
  ok: true
  value: T
}

export type Result<T> = OkResult<T> | ErrorResult

export const ok = <T>(value: T): OkResult<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorResult =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details }

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ErrorCodes as readonly string[]).includes(value)
}
