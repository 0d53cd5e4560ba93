import { contract, isChannel, type Handlers } from './contract'
import { fail, isErrorCode, ok, type ErrorCode, type Result } from './errors'

/** An error a service throws on purpose: it crosses the boundary as a coded result. */
export interface CodedError {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

function asCoded(err: unknown): CodedError | undefined {
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) {
    const e = err as CodedError
    return { code: e.code, message: String(e.message), details: e.details }
  }
  return undefined
}

/**
 * The single path every transport uses: look up the channel, validate the input with the contract's schema, call the
 * handler, and turn any failure into a coded result. Never throws.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  onUnexpected: (err: unknown) => void = () => undefined,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('channel.unknown', `Unknown channel "${channel}".`)
  const spec = contract[channel]
  const parsed = spec.input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length ? issue.path.join('.') : 'input'
    return fail('input.invalid', `Invalid input for ${channel}: ${where}: ${issue?.message ?? 'invalid'}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    })
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>
    return ok(await handler(parsed.data))
  } catch (err) {
    const coded = asCoded(err)
    if (coded) return fail(coded.code, coded.message, coded.details)
    onUnexpected(err)
    return fail('internal', err instanceof Error ? err.message : 'Unexpected error')
  }
}
