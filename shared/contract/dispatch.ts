import { contract, isChannel, type Handlers } from './contract'
import { fail, isErrorCode, ok, type ErrorCode, type Result } from './errors'

/** An error a service throws on purpose: it crosses the boundary as a coded result. */
export interface CodedError {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

/**
 * The deepest input (objects and arrays inside each other) any channel accepts. DynamoDB nests attribute values at
 * most 32 levels (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes),
 * which is about 64 levels of DynamoDB JSON ({"M": {"a": {"M": …}}}) plus the request around it; 128 leaves room for
 * that and stays far below the depth at which zod's recursive validation runs out of stack (about 2,000 levels).
 */
export const MAX_INPUT_DEPTH = 128

/**
 * How deep `value` nests, counted without recursion so that no input can overflow the stack; stops past `limit`.
 * Each object is visited once, so a cycle or a shared object (IPC's structured clone keeps both) cannot loop or blow up.
 */
export function nestingDepth(value: unknown, limit = MAX_INPUT_DEPTH): number {
  let deepest = 0
  const seen = new Set<object>()
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    const here = depth + 1
    if (here > deepest) deepest = here
    if (deepest > limit) return deepest
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: here })
    }
  }
  return deepest
}

function asCoded(err: unknown): CodedError | undefined {
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) {
    const e = err as CodedError
    return { code: e.code, message: String(e.message), details: e.details }
  }
  return undefined
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? err.message : 'Unexpected error'
  } catch {
    return 'Unexpected error'
  }
}

async function run(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  onUnexpected: (err: unknown) => void,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('channel.unknown', `Unknown channel "${channel}".`)
  const depth = nestingDepth(rawInput)
  if (depth > MAX_INPUT_DEPTH) {
    return fail(
      'input.invalid',
      `Invalid input for ${channel}: nested more than ${MAX_INPUT_DEPTH} levels deep.`,
      {
        maxDepth: MAX_INPUT_DEPTH,
      },
    )
  }
  const spec = contract[channel]
  let parsed: ReturnType<typeof spec.input.safeParse>
  try {
    parsed = spec.input.safeParse(rawInput ?? {})
  } catch (err) {
    // A shape the depth count cannot see (shared objects) can still exhaust zod's recursion: that is the input's fault.
    if (err instanceof RangeError)
      return fail('input.invalid', `Invalid input for ${channel}: too deeply nested.`)
    throw err
  }
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
    return fail('internal', describe(err))
  }
}

/**
 * The single path every transport uses: look up the channel, validate the input with the contract's schema, call the
 * handler, and turn any failure into a coded result. Never throws (nor rejects): whatever escapes the steps above,
 * a failing `onUnexpected` included, still answers as a coded `internal` result.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  onUnexpected: (err: unknown) => void = () => undefined,
): Promise<Result<unknown>> {
  const report = (err: unknown) => {
    try {
      onUnexpected(err)
    } catch {
      // The reporter failing must not turn a coded answer into a thrown one.
    }
  }
  try {
    return await run(handlers, channel, rawInput, report)
  } catch (err) {
    report(err)
    return fail('internal', describe(err))
  }
}
