import { describe, expect, it } from 'vitest'
import { movedAttributes, moveScore, moveSummary, pairMoves, type MoveContext, type RowChange } from './moves'

// A generic order book: orders live under their customer, keyed by placed date; lines under the order.
const ctx: MoveContext = {
  keyNames: (table) => (table === 'orders' ? ['pk', 'sk'] : table === 'flat' ? ['id'] : []),
  entityOf: (_table, row) => {
    const pk = String(row.pk ?? '')
    const sk = String(row.sk ?? '')
    if (pk.startsWith('CUST#') && sk.startsWith('ORDER#')) return 'Order'
    if (pk.startsWith('ORDER#') && sk.startsWith('LINE#')) return 'Line'
    return undefined
  },
}

const del = (before: Record<string, unknown>, table = 'orders'): RowChange => ({ table, before })
const put = (after: Record<string, unknown>, table = 'orders'): RowChange => ({ table, after })

describe('moveScore', () => {
  const old = { pk: 'CUST#1', sk: 'ORDER#2026-01-01', status: 'new' }
  it('same partition and entity, new sort key: a move', () => {
    expect(moveScore(ctx, del(old), put({ ...old, sk: 'ORDER#2026-02-01' }))).toBe(2)
  })
  it('a shared id-like attribute makes it more certain, and alone finds a move across partitions', () => {
    const a = { ...old, order_id: 'o-1' }
    expect(moveScore(ctx, del(a), put({ ...a, sk: 'ORDER#2026-02-01' }))).toBe(3)
    expect(moveScore(ctx, del(a), put({ ...a, pk: 'CUST#2' }))).toBe(1)
    expect(moveScore(ctx, del({ ...old, orderId: 'x' }), put({ ...old, pk: 'CUST#2', orderId: 'x' }))).toBe(1)
  })
  it('is not a move: same key, other table, other entity, or nothing in common', () => {
    expect(moveScore(ctx, del(old), put({ ...old, status: 'paid' }))).toBe(0)
    expect(moveScore(ctx, del(old), put({ ...old, sk: 'ORDER#2' }, 'flat'))).toBe(0)
    expect(moveScore(ctx, del(old), put({ pk: 'CUST#1', sk: 'LINE#1' }))).toBe(0)
    expect(moveScore(ctx, del(old), put({ pk: 'CUST#9', sk: 'ORDER#2026-02-01' }))).toBe(0)
    // An id-like name that is a key attribute does not count: the key changed, that is the point.
    expect(moveScore(ctx, del({ id: 'a', n: 1 }, 'flat'), put({ id: 'b', n: 1 }, 'flat'))).toBe(0)
  })
  it('numbers read back as text still match', () => {
    expect(moveScore(ctx, del({ ...old, order_id: 7 }), put({ ...old, pk: 'CUST#2', order_id: '7' }))).toBe(1)
  })
})

describe('pairMoves', () => {
  it('pairs a delete with its put in either order, and leaves unrelated writes alone', () => {
    const changes: RowChange[] = [
      put({ pk: 'CUST#1', sk: 'ORDER#b', group_id: 'g1' }),
      put({ pk: 'CUST#9', sk: 'ORDER#z' }),
      del({ pk: 'CUST#1', sk: 'ORDER#a', group_id: 'g1' }),
      del({ pk: 'CUST#5', sk: 'ORDER#q' }),
    ]
    expect(pairMoves(ctx, changes)).toEqual([{ from: 2, to: 0 }])
  })
  it('two owners of the same group each keep their own row (partition beats a shared id)', () => {
    const changes: RowChange[] = [
      del({ pk: 'CUST#1', sk: 'ORDER#a', group_id: 'g' }),
      del({ pk: 'CUST#2', sk: 'ORDER#a', group_id: 'g' }),
      put({ pk: 'CUST#2', sk: 'ORDER#b', group_id: 'g' }),
      put({ pk: 'CUST#1', sk: 'ORDER#b', group_id: 'g' }),
    ]
    expect(pairMoves(ctx, changes)).toEqual([
      { from: 0, to: 3 },
      { from: 1, to: 2 },
    ])
  })
  it('uses each change once, and an update (before and after) is never part of a move', () => {
    const changes: RowChange[] = [
      del({ pk: 'CUST#1', sk: 'ORDER#a' }),
      del({ pk: 'CUST#1', sk: 'ORDER#b' }),
      put({ pk: 'CUST#1', sk: 'ORDER#c' }),
      {
        table: 'orders',
        before: { pk: 'CUST#1', sk: 'ORDER#d' },
        after: { pk: 'CUST#1', sk: 'ORDER#d', x: 1 },
      },
    ]
    expect(pairMoves(ctx, changes)).toEqual([{ from: 0, to: 2 }])
  })
})

describe('movedAttributes and moveSummary', () => {
  it('lists the changed keys first, then the other changes by name', () => {
    const moved = movedAttributes(
      ['pk', 'sk'],
      { pk: 'P', sk: '2026-01-01T00:00:00Z', message: 'hi', a: 1, same: 'x' },
      { pk: 'P', sk: '2026-02-01T00:00:00Z', message: 'hello', b: 2, same: 'x' },
    )
    expect(moved.map((m) => m.attribute)).toEqual(['sk', 'a', 'b', 'message'])
    expect(moveSummary(moved)).toBe(
      'sk 2026-01-01T00:00:00Z → 2026-02-01T00:00:00Z, a 1 → (none), b (none) → 2, message hi → hello',
    )
  })
  it('shortens long values', () => {
    expect(moveSummary([{ attribute: 'm', before: 'x'.repeat(50), after: 'y' }], 10)).toBe(
      `m ${'x'.repeat(9)}… → y`,
    )
  })
})
