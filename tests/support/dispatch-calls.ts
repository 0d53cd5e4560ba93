import type { Handlers } from '../../shared/contract/contract'
import { dispatch } from '../../shared/contract/dispatch'
import type { Result } from '../../shared/contract/errors'

/**
 * Calls a workbench's handlers by channel name, through dispatch as the hosts do (input validation included):
 * `call` gives the coded result, `ok` the value or throws with the code. `handlers` is read at each call, so a test
 * can make its workbench in beforeAll.
 */
export function dispatchCalls(handlers: () => Handlers) {
  const call = async <T>(channel: string, input: unknown): Promise<Result<T>> =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the channel is chosen per call
    (await dispatch(handlers(), channel as any, input)) as Result<T>
  const ok = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await call<T>(channel, input)
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
    return r.value
  }
  return { call, ok }
}
