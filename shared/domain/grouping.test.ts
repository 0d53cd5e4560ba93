import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { ItemJson } from '../contract/channels/workbench'
import { Model } from './model'
import { readFileSync } from 'node:fs'
import {
  buildView,
  filterItems,
  classifyEntity,
  entitiesForTable,
  indexMembership,
  itemId,
  keyOf,
  projectForIndex,
  type IndexSpec,
  type KeySchemaView,
  ViewBuilder,
} from './grouping'

const table: KeySchemaView = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } }
const gsi: IndexSpec = {
  name: 'message-group-sk-index',
  kind: 'GSI',
  partitionKey: { name: 'message_group_uuid', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  projection: { type: 'ALL' },
}
const model = Model.parse(
  JSON.parse(readFileSync(new URL('../../seeds/cruddur/model.json', import.meta.url), 'utf8')),
)
const entities = entitiesForTable(model.entities, 'cruddur-messages')

const msg = (group: string, at: string, text = 'hi'): ItemJson => ({
  pk: { S: `MSG#${group}` },
  sk: { S: at },
  message: { S: text },
  user_handle: { S: 'andrew' },
})
const conv = (owner: string, group: string, at: string): ItemJson => ({
  pk: { S: `GRP#${owner}` },
  sk: { S: at },
  message_group_uuid: { S: group },
  message: { S: 'last' },
})

const items = [
  msg('g1', '2026-11-20T15:00:00'),
  conv('u1', 'g1', '2026-11-20T15:00:00'),
  msg('g1', '2026-11-20T14:00:00'),
  conv('u2', 'g1', '2026-11-20T15:00:00'),
  msg('g2', '2026-11-21T09:00:00'),
  conv('u1', 'g2', '2026-11-21T09:00:00'),
]

describe('table view', () => {
  test('groups by partition, sorted by pk then sk, with entity names and colours', () => {
    const view = buildView(items, { table, entities })
    expect(view.groups.map((g) => g.pk)).toEqual(['GRP#u1', 'GRP#u2', 'MSG#g1', 'MSG#g2'])
    const g1 = view.groups.find((g) => g.pk === 'MSG#g1')!
    expect(g1.items.map((v) => v.item.sk)).toEqual([
      { S: '2026-11-20T14:00:00' },
      { S: '2026-11-20T15:00:00' },
    ])
    expect(g1.items.every((v) => v.entity === 'Message' && v.colour === '#3b82f6')).toBe(true)
    expect(view.groups[0]!.items.every((v) => v.entity === 'Conversation')).toBe(true)
    expect(view.itemCount).toBe(6)
    expect(view.excludedCount).toBe(0)
  })

  test('columns per group: keys first, then the attributes present in that group, as the entity declares them', () => {
    const view = buildView(items, { table, entities })
    expect(view.groups.find((g) => g.pk === 'MSG#g1')!.columns).toEqual([
      'pk',
      'sk',
      'message',
      'user_handle',
    ])
    expect(view.groups.find((g) => g.pk === 'GRP#u1')!.columns).toEqual([
      'pk',
      'sk',
      'message_group_uuid',
      'message',
    ])
  })

  test('partition sizes add up the items', () => {
    const view = buildView([msg('g', 'a', 'xx'), msg('g', 'b', 'xx')], { table })
    // pk(2)+MSG#g(5) + sk(2)+1 + message(7)+2 + user_handle(11)+6 = 36 per item
    expect(view.groups[0]!.sizeBytes).toBe(72)
  })

  test('rows flatten groups: a header row, then its items in order', () => {
    const view = buildView(items, { table, entities })
    expect(view.rows.map((r) => r.kind)).toEqual([
      'group',
      'item',
      'item',
      'group',
      'item',
      'group',
      'item',
      'item',
      'group',
      'item',
    ])
    expect(new Set(view.rows.map((r) => r.id)).size).toBe(view.rows.length)
  })

  test('N sort keys order numerically, not as text', () => {
    const t: KeySchemaView = { partitionKey: { name: 'id', type: 'S' }, sortKey: { name: 'n', type: 'N' } }
    const view = buildView(
      ['10', '9', '-1', '100', '2.5'].map((n) => ({ id: { S: 'x' }, n: { N: n } })),
      { table: t },
    )
    expect(view.groups[0]!.items.map((v) => (v.item.n as { N: string }).N)).toEqual([
      '-1',
      '2.5',
      '9',
      '10',
      '100',
    ])
  })

  test('S keys order by UTF-8 bytes', () => {
    const view = buildView(
      ['\uFF01', '\u{1F600}', 'Z', 'a'].map((s) => ({ pk: { S: 'p' }, sk: { S: s } })),
      { table },
    )
    expect(view.groups[0]!.items.map((v) => (v.item.sk as { S: string }).S)).toEqual([
      'Z',
      'a',
      '\uFF01',
      '\u{1F600}',
    ])
  })

  test('rebuilding with other entities or keys does not reuse stale per-item results', () => {
    const withEntities = buildView(items, { table, entities })
    expect(withEntities.groups[0]!.items[0]!.entity).toBe('Conversation')
    const without = buildView(items, { table, entities: [] })
    expect(without.groups[0]!.items[0]!.entity).toBeUndefined()
    const byPkOnly: KeySchemaView = { partitionKey: { name: 'pk', type: 'S' } }
    const ids = buildView(items, { table: byPkOnly }).groups[0]!.items.map((v) => v.id)
    expect(ids[0]).toBe(itemId(items[1]!, byPkOnly))
    expect(ids[0]).not.toBe(itemId(items[1]!, table))
  })

  test('ghost rows stay visible but are not counted', () => {
    const gone = conv('u9', 'g1', '2026-01-01')
    const view = buildView(items, { table, entities, ghosts: [gone] })
    const row = view.groups.find((g) => g.pk === 'GRP#u9')!.items[0]!
    expect(row.ghost).toBe(true)
    expect(view.itemCount).toBe(6)
  })
})

describe('ViewBuilder', () => {
  // Items of a few partitions, unique by table key; some lack the GSI's key or have it with the wrong type.
  const arbItems = fc.uniqueArray(
    fc.record({
      pk: fc.constantFrom('MSG#a', 'MSG#b', 'GRP#u1', 'GRP#u2'),
      sk: fc.string({ unit: 'binary', maxLength: 6 }),
      group: fc.option(fc.constantFrom('g1', 'g2', 7), { nil: undefined }),
      extra: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    }),
    { selector: (r) => `${r.pk}\u0000${r.sk}` },
  )
  const toItem = (r: { pk: string; sk: string; group?: string | number; extra?: string }): ItemJson => ({
    pk: { S: r.pk },
    sk: { S: r.sk },
    ...(r.group === undefined
      ? {}
      : { message_group_uuid: typeof r.group === 'number' ? { N: String(r.group) } : { S: r.group } }),
    ...(r.extra === undefined ? {} : { [`x_${r.extra.length}`]: { S: r.extra } }),
  })
  const pagesOf = <T>(list: readonly T[], cuts: number[]): T[][] => {
    const at = [...new Set(cuts.map((c) => c % (list.length + 1)))].sort((a, b) => a - b)
    const pages: T[][] = []
    let from = 0
    for (const c of [...at, list.length]) {
      pages.push(list.slice(from, c))
      from = c
    }
    return pages
  }

  test('page by page, in Scan order or any other, it gives the view buildView gives', () => {
    fc.assert(
      fc.property(
        arbItems,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom('table', 'index'),
        (records, cuts, scanOrder, kind) => {
          const all = records.map(toItem)
          // Scan order: partitions together, in sort-key order (the builder's fast path); else as generated.
          const arriving = scanOrder
            ? buildView(all, { table }).groups.flatMap((g) => g.items.map((v) => v.item))
            : all
          const options = kind === 'index' ? { table, index: gsi, entities } : { table, entities }
          const builder = new ViewBuilder(options)
          for (const page of pagesOf(arriving, cuts)) builder.add(page)
          expect(builder.view()).toEqual(buildView(all, options))
        },
      ),
    )
  })

  test('a view taken mid-load is not changed by the items added after it', () => {
    const builder = new ViewBuilder({ table, entities })
    builder.add(items.slice(0, 3))
    const early = builder.view()
    const earlyRows = early.rows.map((r) => r.id)
    builder.add(items.slice(3))
    expect(early.rows.map((r) => r.id)).toEqual(earlyRows)
    expect(early.itemCount).toBe(3)
    expect(builder.view()).toEqual(buildView(items, { table, entities }))
  })
})

describe('column order', () => {
  test("declared attributes in the model's order, then the rest by frequency; a sparse attribute goes last", () => {
    const sparse = { ...msg('g1', '2026-11-20T16:00:00'), zz_flag: { BOOL: true }, a_note: { S: 'x' } }
    const view = buildView([...items, sparse], { table, entities })
    const group = view.groups.find((g) => g.pk === 'MSG#g1')!
    const declared = model.entities.find((e) => e.name === 'Message')!.attributes!.map((a) => a.name)
    const present = declared.filter((a) => group.items.some((v) => a in v.item))
    expect(group.columns.slice(0, 2 + present.length)).toEqual(['pk', 'sk', ...present])
    expect(group.columns.slice(-2)).toEqual(['a_note', 'zz_flag'])
  })

  test('without declared attributes, the most frequent attribute comes first', () => {
    const plain: ItemJson[] = [
      { pk: { S: 'p' }, sk: { S: '1' }, b: { S: 'x' } },
      { pk: { S: 'p' }, sk: { S: '2' }, b: { S: 'x' }, a: { S: 'y' } },
    ]
    expect(buildView(plain, { table }).groups[0]!.columns).toEqual(['pk', 'sk', 'b', 'a'])
  })
})

describe('index view', () => {
  test('keeps only the items the GSI holds, keyed by its keys', () => {
    const view = buildView(items, { table, index: gsi, entities })
    expect(view.groups.map((g) => g.pk)).toEqual(['g1', 'g2'])
    expect(view.groups[0]!.items).toHaveLength(2)
    expect(view.groups[0]!.items.every((v) => v.entity === 'Conversation')).toBe(true)
    expect(view.groups[0]!.columns.slice(0, 3)).toEqual(['message_group_uuid', 'sk', 'pk'])
    expect(view.excludedCount).toBe(3)
    expect(view.rows.some((r) => r.kind === 'item' && r.item.excludedReason)).toBe(false)
  })

  test('reveals excluded items with the reason', () => {
    const view = buildView(items, { table, index: gsi, entities, showExcluded: true })
    const last = view.groups[view.groups.length - 1]!
    expect(last.excluded).toBe(true)
    expect(last.items).toHaveLength(3)
    expect(last.items.every((v) => v.entity === 'Message')).toBe(true)
    expect(last.reason).toBe('no message_group_uuid: not in message-group-sk-index')
    expect(last.items[0]!.excludedReason).toBe(last.reason)
    // The table's keys lead the columns, so each row says which item it is.
    expect(last.columns.slice(0, 2)).toEqual(['pk', 'sk'])
  })

  test('excluded items are grouped by reason, the largest group first, each reason stated once', () => {
    const mistyped = { ...conv('u3', 'g1', 't'), message_group_uuid: { N: '7' } }
    const view = buildView([...items, mistyped], { table, index: gsi, entities, showExcluded: true })
    const excluded = view.groups.filter((g) => g.excluded)
    expect(excluded.map((g) => [g.reason, g.items.length])).toEqual([
      ['no message_group_uuid: not in message-group-sk-index', 3],
      ['message_group_uuid is N, the index key is S: not in message-group-sk-index', 1],
    ])
    expect(new Set(view.rows.map((r) => r.id)).size).toBe(view.rows.length)
    expect(view.excludedCount).toBe(4)
  })

  test('a removed item is shown among the excluded but not counted, so the counts agree', () => {
    const gone = msg('g9', '2026-01-01')
    const view = buildView(items, { table, index: gsi, entities, showExcluded: true, ghosts: [gone] })
    const group = view.groups.find((g) => g.excluded)!
    expect(group.items).toHaveLength(4)
    expect(group.removedCount).toBe(1)
    expect(view.excludedCount).toBe(group.items.length - group.removedCount)
  })

  test('membership reasons name every missing or mistyped key', () => {
    const lsi: IndexSpec = {
      ...gsi,
      name: 'by-n',
      kind: 'LSI',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'n', type: 'N' },
    }
    expect(indexMembership({ pk: { S: 'a' }, n: { N: '1' } }, lsi)).toEqual({ included: true })
    expect(indexMembership({ pk: { S: 'a' }, n: { S: '1' } }, lsi)).toEqual({
      included: false,
      reason: 'n is S, the index key is N: not in by-n',
    })
    expect(indexMembership({ x: { S: 'a' } }, gsi)).toEqual({
      included: false,
      reason: 'no message_group_uuid and no sk: not in message-group-sk-index',
    })
  })

  test('KEYS_ONLY and INCLUDE projections keep keys and the named attributes', () => {
    const item = { ...conv('u1', 'g1', 't'), extra: { S: 'e' } }
    expect(
      Object.keys(projectForIndex(item, { ...gsi, projection: { type: 'KEYS_ONLY' } }, table)).sort(),
    ).toEqual(['message_group_uuid', 'pk', 'sk'])
    expect(
      Object.keys(
        projectForIndex(
          item,
          { ...gsi, projection: { type: 'INCLUDE', nonKeyAttributes: ['extra'] } },
          table,
        ),
      ).sort(),
    ).toEqual(['extra', 'message_group_uuid', 'pk', 'sk'])
  })
})

describe('entities and keys', () => {
  test('the most specific template wins; unknown keys have no entity', () => {
    expect(classifyEntity(msg('g', 't'), entities)?.name).toBe('Message')
    expect(classifyEntity(conv('u', 'g', 't'), entities)?.name).toBe('Conversation')
    expect(classifyEntity({ pk: { S: 'USER#1' }, sk: { S: 'x' } }, entities)).toBeUndefined()
  })

  test('item ids and keys come from the table key', () => {
    const a = msg('g', 't')
    expect(keyOf(a, table)).toEqual({ pk: a.pk, sk: a.sk })
    expect(itemId(a, table)).toBe(itemId({ ...a, message: { S: 'other' } }, table))
    expect(itemId({ pk: { S: '1' }, sk: { S: 'x' } }, table)).not.toBe(
      itemId({ pk: { N: '1' }, sk: { S: 'x' } }, table),
    )
  })
})

describe('filterItems', () => {
  test('matches a key by prefix and any other value by substring, ignoring case', () => {
    const keys = ['pk', 'sk']
    expect(filterItems(items, 'msg#g2', keys)).toEqual([items[4]])
    // "g1" is inside MSG#g1 but not a prefix of any key; it is the value of message_group_uuid on conversations.
    expect(filterItems(items, 'g1', keys)).toEqual([items[1], items[3]])
    expect(filterItems(items, 'LAS', keys)).toHaveLength(3)
    expect(filterItems(items, '  ', keys)).toBe(items)
    expect(filterItems(items, 'nothing-like-this', keys)).toEqual([])
  })
})
