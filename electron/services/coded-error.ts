import type { ErrorCode } from '../../shared/contract/errors'

/** An error that crosses the boundary as `{ ok: false, code, message, details }` (see shared/contract/dispatch). */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'CodedError'
  }
}

export const codedError = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new CodedError(code, message, details)
