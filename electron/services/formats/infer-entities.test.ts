import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../../seeds/cruddur'
import { LosslessNumber } from '../../../shared/domain/attribute-json'
import { loadModelFile, loadSampleItems } from '../model.service'
import { inferEntities, toEntitySpecs } from './infer-entities'

describe('entities from a sample of items', () => {
  test("Cruddur's rows: MSG# and GRP# partitions, and only the conversation rows in the sparse GSI", async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const items = (await loadSampleItems(cruddur, CRUDDUR_MODEL_FILE))['cruddur-messages']!
    const spec = cruddur.tables[0]!
    const inferred = inferEntities(spec, items)
    expect(inferred.map((e) => ({ name: e.name, keys: e.keys }))).toEqual([
      { name: 'MSG', keys: { pk: 'MSG#{msg_id}', sk: '{sk}' } },
      { name: 'GRP', keys: { pk: 'GRP#{grp_id}', sk: '{sk}' } },
    ])
    const msg = inferred[0]!
    const grp = inferred[1]!
    expect(msg.count + grp.count).toBe(items.length)
    expect(msg.indexes).toEqual({ 'message-group-sk-index': 0 })
    expect(grp.indexes).toEqual({ 'message-group-sk-index': grp.count })
    expect(grp.attributes).toEqual(
      expect.arrayContaining([{ name: 'message_group_uuid', type: 'S', present: grp.count }]),
    )
    const specs = toEntitySpecs(spec.name, inferred)
    expect(specs[0]!.description).toContain('not in message-group-sk-index')
    expect(specs[1]!.description).toContain('in message-group-sk-index')
  })

  test('labels in the sort key name the entity; types, partial attributes and partial index membership', () => {
    const spec = {
      name: 'shop',
      attributeDefinitions: [
        { attributeName: 'PK', attributeType: 'S' as const },
        { attributeName: 'SK', attributeType: 'S' as const },
        { attributeName: 'GSI1PK', attributeType: 'S' as const },
      ],
      keySchema: [
        { attributeName: 'PK', keyType: 'HASH' as const },
        { attributeName: 'SK', keyType: 'RANGE' as const },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'GSI1',
          keySchema: [{ attributeName: 'GSI1PK', keyType: 'HASH' as const }],
          projection: { projectionType: 'ALL' as const },
        },
      ],
      billingMode: 'PAY_PER_REQUEST' as const,
    }
    const rows = [
      { PK: 'CUSTOMER#1', SK: 'PROFILE', name: 'Ann', tags: new Set(['a']) },
      { PK: 'CUSTOMER#2', SK: 'PROFILE', name: 'Bob', vip: true },
      {
        PK: 'CUSTOMER#1',
        SK: 'ORDER#2026-01-01#17',
        total: new LosslessNumber('12345678901234567890'),
        GSI1PK: 'OPEN',
      },
      { PK: 'CUSTOMER#1', SK: 'ORDER#2026-01-02#18', total: 5, lines: [1, 2] },
    ]
    const inferred = inferEntities(spec, rows)
    expect(inferred.map((e) => [e.name, e.keys])).toEqual([
      ['PROFILE', { PK: 'CUSTOMER#{customer_id}', SK: 'PROFILE' }],
      ['ORDER', { PK: 'CUSTOMER#{customer_id}', SK: 'ORDER#{order_id}#{SK_2}' }],
    ])
    const order = inferred[1]!
    expect(order.attributes).toEqual(
      expect.arrayContaining([
        { name: 'total', type: 'N', present: 2 },
        { name: 'lines', type: 'L', present: 1 },
      ]),
    )
    expect(order.indexes).toEqual({ GSI1: 1 })
    expect(inferred[0]!.attributes).toEqual(
      expect.arrayContaining([{ name: 'tags', type: 'SS', present: 1 }]),
    )
    const [profile, orderSpec] = toEntitySpecs('shop', inferred)
    expect(orderSpec!.description).toBe('2 sampled item(s); in GSI1 (1 of 2)')
    expect(profile!.attributes).toEqual(
      expect.arrayContaining([{ name: 'vip', type: 'BOOL', description: 'on 1 of 2 sampled items' }]),
    )
  })
})
