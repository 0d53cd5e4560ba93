import { describe, expect, test } from 'vitest'
import { buildScan, sumCapacity } from './scan.service'

describe('scan builder', () => {
  test('one segment: no Segment fields', () => {
    expect(buildScan('t')).toEqual({ TableName: 't', ReturnConsumedCapacity: 'TOTAL' })
  })
  test('parallel segment with paging', () => {
    expect(
      buildScan('t', {
        index: 'i',
        totalSegments: 4,
        segment: 2,
        pageSize: 100,
        exclusiveStartKey: { pk: { S: 'a' } },
      }),
    ).toEqual({
      TableName: 't',
      IndexName: 'i',
      Segment: 2,
      TotalSegments: 4,
      Limit: 100,
      ExclusiveStartKey: { pk: { S: 'a' } },
      ReturnConsumedCapacity: 'TOTAL',
    })
  })
  test('capacity sums single and list forms', () => {
    expect(sumCapacity({ CapacityUnits: 1.5 })).toBe(1.5)
    expect(sumCapacity([{ CapacityUnits: 1 }, { CapacityUnits: 2 }])).toBe(3)
    expect(sumCapacity(undefined)).toBe(0)
  })
})
