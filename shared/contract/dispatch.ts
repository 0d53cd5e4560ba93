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

interface Frame {
  node: object
  children: unknown[]
  next: number
  deepest: number
}

const isNode = (v: unknown): v is object => v !== null && typeof v === 'object'

/**
 * How deep `value` nests (objects and arrays inside each other), counted without recursion so that no input can
 * overflow the stack; stops once past `limit`. IPC's structured clone can carry shared objects and cycles: a shared
 * object is measured once, and a cycle counts as infinitely deep.
 */
export function nestingDepth(value: unknown, limit = MAX_INPUT_DEPTH): number {
  if (!isNode(value)) return 0
  const measured = new Map<object, number>()
  const onPath = new Set<object>()
  const stack: Frame[] = []
  const enter = (node: object) => {
    onPath.add(node)
    stack.push({ node, children: Array.isArray(node) ? node : Object.values(node), next: 0, deepest: 0 })
  }
  enter(value)
  for (;;) {
    if (stack.length > limit) return stack.length
    const top = stack[stack.length - 1]!
    if (top.next < top.children.length) {
      const child = top.children[top.next++]
      if (!isNode(child)) continue
      if (onPath.has(child)) return Infinity
      const known = measured.get(child)
      if (known === undefined) enter(child)
      else top.deepest = Math.max(top.deepest, known)
      continue
    }
    stack.pop()
    onPath.delete(top.node)
    const depth = top.deepest + 1
    measured.set(top.node, depth)
    const parent = stack[stack.length - 1]
    if (!parent) return depth
    parent.deepest = Math.max(parent.deepest, depth)
  }
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
      `Invalid input for ${channel}: nested more than ${MAX_INPUT_DEPTH} levels deep${depth === Infinity ? ' (it contains itself)' : ''}.`,
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
    // The depth check should make this unreachable; if zod still runs out of stack, the input's shape is to blame.
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
