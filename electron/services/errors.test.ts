import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { toWorkbenchError, WorkbenchError } from './errors'

const meta = { $metadata: { httpStatusCode: 400, requestId: 'r1' } }

describe('toWorkbenchError', () => {
  test('maps DynamoDB exceptions to catalogue codes and keeps their name and message', () => {
    const e = toWorkbenchError(
      new ResourceNotFoundException({ message: 'Requested resource not found', ...meta }),
      { table: 't' },
    )
    expect(e).toBeInstanceOf(WorkbenchError)
    expect(e).toMatchObject({
      code: 'table.notFound',
      message: 'Requested resource not found',
      details: {
        table: 't',
        dynamodbError: 'ResourceNotFoundException',
        dynamodbMessage: 'Requested resource not found',
        httpStatusCode: 400,
        requestId: 'r1',
      },
    })
    expect(toWorkbenchError(new ResourceInUseException({ message: 'in use', ...meta })).code).toBe(
      'table.exists',
    )
    expect(toWorkbenchError(new ConditionalCheckFailedException({ message: 'failed', ...meta })).code).toBe(
      'dynamodb.conditionFailed',
    )
    expect(
      toWorkbenchError(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta })).code,
    ).toBe('dynamodb.throttled')
  })

  test('a cancelled transaction is a condition failure only when a condition failed', () => {
    const cond = new TransactionCanceledException({
      message: 'cancelled',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      ...meta,
    })
    expect(toWorkbenchError(cond).code).toBe('dynamodb.conditionFailed')
    const other = new TransactionCanceledException({
      message: 'cancelled',
      CancellationReasons: [{ Code: 'TransactionConflict' }],
      ...meta,
    })
    expect(toWorkbenchError(other)).toMatchObject({
      code: 'dynamodb.error',
      details: { cancellationReasons: [{ Code: 'TransactionConflict' }] },
    })
  })

  test('network failures and plain errors', () => {
    expect(
      toWorkbenchError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code,
    ).toBe('connection.unavailable')
    expect(toWorkbenchError(new Error('boom')).code).toBe('internal')
    const w = new WorkbenchError('model.invalid', 'x')
    expect(toWorkbenchError(w)).toBe(w)
    expect(w.toResult()).toEqual({ ok: false, code: 'model.invalid', message: 'x' })
  })
})
