import { describe, expect, test } from 'vitest'
import type { HandlerCall, Invocation } from './handler-runner'
import { callStep, stepsPerRecord } from './invoke'

const invocation = (timeline: Invocation['timeline'], error?: Invocation['error']): Invocation => {
  const inv: Invocation = { ok: !error, logs: [], calls: [], timeline, durationMs: 1, reloaded: false }
  if (error) inv.error = error
  return inv
}
const call = (c: Partial<HandlerCall> & { op: string }): Invocation['timeline'][number] => ({
  kind: 'call',
  call: { input: {}, record: -1, ...c },
})
const log = (
  text: string,
  record: number,
  level: 'log' | 'warning' = 'log',
): Invocation['timeline'][number] => ({ kind: 'log', log: { level, text, record } })

describe('an invocation as timeline steps per record', () => {
  test('calls and logs go to the record the handler was reading; `skip:` lines are skips; runtime warnings are left out', () => {
    const steps = stepsPerRecord(
      invocation([
        log('starting', -1),
        call({
          op: 'Query',
          record: 0,
          input: { TableName: 't' },
          output: { Items: [{ pk: { S: 'a' }, sk: { S: '1' }, x: { N: '2' } }] },
        }),
        log('skip: nothing to do', 1),
        log('Warning: NodeVersionSupportWarning', -1, 'warning'),
      ]),
      2,
    )
    expect(steps).toEqual([
      [
        { kind: 'log', level: 'log', text: 'starting' },
        { kind: 'query', request: { TableName: 't' }, items: [{ pk: 'a', sk: '1', x: 2 }] },
      ],
      [{ kind: 'skip', reason: 'nothing to do' }],
    ])
  })

  test('a delete shows the whole row the handler last read with that key', () => {
    const [steps] = stepsPerRecord(
      invocation([
        call({
          op: 'Query',
          record: 0,
          output: { Items: [{ pk: { S: 'a' }, sk: { S: '1' }, message: { S: 'old' } }] },
        }),
        call({ op: 'DeleteItem', record: 0, input: { Key: { pk: { S: 'a' }, sk: { S: '1' } } }, output: {} }),
        call({
          op: 'TransactWriteItems',
          record: 0,
          input: {
            TransactItems: [
              { Put: { TableName: 't', Item: { pk: { S: 'a' }, sk: { S: '2' } } } },
              { Delete: { TableName: 't', Key: { pk: { S: 'a' }, sk: { S: '1' } } } },
            ],
          },
          output: {},
        }),
      ]),
      1,
    )
    expect(steps![1]).toMatchObject({ kind: 'delete', before: { pk: 'a', sk: '1', message: 'old' } })
    expect(steps![2]).toMatchObject({
      kind: 'transact',
      writes: [
        { op: 'Put', table: 't', item: { pk: 'a', sk: '2' } },
        { op: 'Delete', table: 't', item: { pk: 'a', sk: '1', message: 'old' } },
      ],
    })
  })

  test('refused calls are conflicts (conditions) or errors; the invocation’s own failure closes the record it was on', () => {
    expect(
      callStep({
        op: 'PutItem',
        input: {},
        record: 0,
        error: { name: 'ConditionalCheckFailedException', message: 'no' },
      }),
    ).toMatchObject({ kind: 'conflict' })
    expect(
      callStep({
        op: 'PutItem',
        input: {},
        record: 0,
        error: { name: 'ValidationException', message: 'bad' },
      }),
    ).toMatchObject({
      kind: 'error',
      detail: 'PutItem refused: ValidationException: bad',
    })
    const steps = stepsPerRecord(
      invocation([log('on the second', 1)], {
        phase: 'invoke',
        name: 'Error',
        message: 'boom',
        location: '/h/handler.mjs:3',
      }),
      2,
    )
    expect(steps[1]!.at(-1)).toEqual({
      kind: 'error',
      detail: 'Error: boom (/h/handler.mjs:3)',
      location: '/h/handler.mjs:3',
    })
  })

  test('document-client output is plain JSON already', () => {
    expect(
      callStep({
        op: 'GetItem',
        input: {},
        record: 0,
        plainOutput: true,
        output: { Item: { id: 'a', n: 1 } },
      }),
    ).toEqual({
      kind: 'read',
      op: 'GetItem',
      request: {},
      items: [{ id: 'a', n: 1 }],
    })
  })
})
