import { describe, expect, it } from 'vitest'
import { parseModel, type Model } from '../../shared/domain/model'
import { handlerEntries, mergeMoves, recordEntry, toFlowSteps } from './timeline'

// Any model with one table and two entities told apart by their key prefixes; nothing sample-specific.
function model(): Model {
  const parsed = parseModel({
    name: 'Moves',
    tables: [
      {
        name: 'box',
        keySchema: [
          { attributeName: 'pk', keyType: 'HASH' },
          { attributeName: 'sk', keyType: 'RANGE' },
        ],
        attributeDefinitions: [
          { attributeName: 'pk', attributeType: 'S' },
          { attributeName: 'sk', attributeType: 'S' },
        ],
      },
    ],
    entities: [
      { name: 'Thread', table: 'box', keys: { pk: 'BOX#{owner}', sk: 'T#{last_at}' } },
      { name: 'Note', table: 'box', keys: { pk: 'NOTE#{id}', sk: '{at}' } },
    ],
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.model
}

const oldRow = { pk: 'BOX#u1', sk: 'T#2026-01-01T10:00:00Z', thread_id: 't9', message: 'old text' }
const newRow = { pk: 'BOX#u1', sk: 'T#2026-01-02T11:00:00Z', thread_id: 't9', message: 'new text' }

describe('handlerEntries folds a moved row into one change', () => {
  it('a transaction of put + delete becomes one write with both items', () => {
    const request = { TransactItems: [] }
    const entries = handlerEntries(model(), [
      { kind: 'log', level: 'info', text: 'moving' },
      {
        kind: 'transact',
        request,
        writes: [
          { op: 'Put', table: 'box', item: newRow },
          { op: 'Delete', table: 'box', item: oldRow },
        ],
      },
    ])
    expect(entries).toHaveLength(2)
    const move = entries[1]!
    expect(move.title).toBe(
      'Moved Thread BOX#u1: sk T#2026-01-01T10:00:00Z → T#2026-01-02T11:00:00Z, message old text → new text',
    )
    expect(move).toMatchObject({ kind: 'write', source: 'handler', entity: 'Thread', moved: true, request })
    expect(move.before).toEqual(oldRow)
    expect(move.after).toEqual(newRow)
    const [step] = toFlowSteps([move])
    expect(step!.moved).toBe(true)
    expect(step!.before?.sk).toEqual({ S: oldRow.sk })
  })

  it('separate put and delete requests keep both requests', () => {
    const entries = handlerEntries(model(), [
      { kind: 'put', request: { TableName: 'box', Item: 'p' }, after: newRow },
      { kind: 'delete', request: { TableName: 'box', Key: 'd' }, before: oldRow },
    ])
    expect(entries).toHaveLength(1)
    expect(entries[0]!.request).toEqual({
      delete: { TableName: 'box', Key: 'd' },
      put: { TableName: 'box', Item: 'p' },
    })
  })

  it('rows of different owners or entities stay separate writes', () => {
    const box = { TableName: 'box' }
    const entries = handlerEntries(model(), [
      { kind: 'put', request: box, after: { ...newRow, pk: 'BOX#u2', thread_id: 'other' } },
      { kind: 'delete', request: box, before: oldRow },
      { kind: 'put', request: box, after: { pk: 'NOTE#1', sk: '2026' } },
    ])
    expect(entries.map((e) => e.moved ?? false)).toEqual([false, false, false])
  })
})

describe('mergeMoves over stream records', () => {
  it('a REMOVE and an INSERT of the same row become one stream-record entry', () => {
    const m = model()
    const entries = mergeMoves(m, [
      recordEntry(m, 'box', {
        eventId: '1',
        eventName: 'REMOVE',
        sequenceNumber: '100',
        keys: { pk: oldRow.pk, sk: oldRow.sk },
        oldImage: oldRow,
      }),
      recordEntry(m, 'box', {
        eventId: '2',
        eventName: 'INSERT',
        sequenceNumber: '101',
        keys: { pk: newRow.pk, sk: newRow.sk },
        newImage: newRow,
      }),
    ])
    expect(entries).toHaveLength(1)
    expect(entries[0]!.kind).toBe('stream-record')
    expect(entries[0]!.title).toMatch(/^Stream records REMOVE \+ INSERT: Moved Thread BOX#u1: sk /)
    // The INSERT's record stays, so the step can still be replayed.
    expect((entries[0]!.record?.dynamodb as { SequenceNumber: string }).SequenceNumber).toBe('101')
  })
})
