import { describe, expect, it } from 'vitest'
import { parseModel, type Model } from '../../shared/domain/model'
import { checkToJunit } from './check.junit'
import { checkOnThrowawayEngine } from './check.service'
import { ModelRegistry } from './model.registry'
import { generateSampleItems } from './seed.service'

/**
 * A shelf of boxes: one table, box rows (`BOX#<id>` / `META`) and their slots (`BOX#<id>` / `SLOT#<n>`). Its
 * parameter defaults, its `count` expectation and its recipe case name the sample items below.
 */
function shelfModel(): Model {
  const r = parseModel({
    name: 'shelf',
    tables: [
      {
        name: 'shelf',
        attributeDefinitions: [
          { attributeName: 'pk', attributeType: 'S' },
          { attributeName: 'sk', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'pk', keyType: 'HASH' },
          { attributeName: 'sk', keyType: 'RANGE' },
        ],
        billingMode: 'PAY_PER_REQUEST',
      },
    ],
    entities: [
      { name: 'Box', table: 'shelf', keys: { pk: 'BOX#{box_id}', sk: 'META' }, attributes: [] },
      { name: 'Slot', table: 'shelf', keys: { pk: 'BOX#{box_id}', sk: 'SLOT#{n}' }, attributes: [] },
    ],
    accessPatterns: [
      {
        id: 'slots',
        name: "A box's slots",
        operation: 'Query',
        table: 'shelf',
        params: [
          {
            name: 'box_id',
            type: 'string',
            bind: { attribute: 'box_id', entity: 'Box', label: 'label' },
            default: 'sample-box',
          },
        ],
        keyCondition: 'pk = :pk AND begins_with(sk, :slot)',
        values: { ':pk': 'BOX#{box_id}', ':slot': 'SLOT#' },
        limit: 10,
        expectations: { servedBy: 'Query', maxItems: 10, count: 2 },
      },
    ],
    recipes: [
      {
        id: 'add-slot',
        name: 'Add a slot',
        params: [
          { name: 'box_id', type: 'string', default: 'sample-box' },
          { name: 'n', type: 'string', default: '9' },
        ],
        steps: [{ op: 'Put', table: 'shelf', item: { pk: 'BOX#{box_id}', sk: 'SLOT#{n}' } }],
        expectations: {
          after: [{ pattern: 'slots', params: { box_id: '{box_id}' }, count: 3 }],
        },
      },
    ],
  })
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.model
}

const box = (id: string, slots: number) => [
  { pk: `BOX#${id}`, sk: 'META', box_id: id, label: `box ${id}` },
  ...Array.from({ length: slots }, (_, i) => ({ pk: `BOX#${id}`, sk: `SLOT#${i + 1}`, box_id: id })),
]

describe('check on generated data', () => {
  // Data as a generator would make it: other ids than the sample's, other sizes.
  const generated = { shelf: [...box('g-7f3a', 5), ...box('g-91bc', 1)] }

  it("takes bound parameters from the data, leaves exact-data expectations and recipe cases aside, exit code's ok", async () => {
    const report = await checkOnThrowawayEngine(shelfModel(), generated, { generatedData: true })
    expect(report).toMatchObject({
      ok: true,
      failed: 0,
      passed: 1,
      skipped: 1,
      notApplicable: 1,
      data: 'generated',
    })
    const slots = report.rows.find((r) => r.id === 'slots')!
    // The first Box item's id, not the model's default: the Query finds that box's slots.
    expect(slots.run?.params).toMatchObject({ box_id: 'g-7f3a' })
    expect(slots.itemCount).toBe(5)
    expect(slots.expectations.map((e) => [e.name, e.held])).toEqual([
      ['served by Query', true],
      ['at most 10 items', true],
    ])
    expect(slots.notApplicable).toEqual(['exactly 2 items: not applicable with generated data'])
    expect(slots.note).toBe('box_id from the generated data')
    expect(report.rows.find((r) => r.id === 'add-slot')).toMatchObject({
      kind: 'recipe',
      skipped: true,
      notApplicable: [expect.stringContaining('not applicable with generated data')],
    })
    const xml = checkToJunit(report)
    expect(xml).toContain('skipped="1"')
    expect(xml).toMatch(
      /<testcase [^>]*name="add-slot: Add a slot">\s*<skipped message="[^"]*generated data"\/>/,
    )
  })

  it('the same data loaded as sample items is held to every expectation (and fails them)', async () => {
    const report = await checkOnThrowawayEngine(shelfModel(), generated)
    expect(report).toMatchObject({ ok: false, skipped: 0, notApplicable: 0, data: 'sample' })
    const slots = report.rows.find((r) => r.id === 'slots')!
    expect(slots.run?.params).toMatchObject({ box_id: 'sample-box' })
    expect(slots.reasons).toEqual(['exactly 2 items: 0 items'])
  })

  it('every built-in sample with a generator passes on its generated data, and its reads find items', async () => {
    const registry = new ModelRegistry()
    const withGenerator = registry.list().filter((m) => registry.get(m.id).sampleData?.generator)
    expect(withGenerator.length).toBeGreaterThan(0)
    for (const { id } of withGenerator) {
      const model = registry.get(id)
      const report = await checkOnThrowawayEngine(model, generateSampleItems(model), { generatedData: true })
      expect(
        report.rows.filter((r) => !r.passed).map((r) => `${r.id}: ${r.reasons.join('; ')}`),
        id,
      ).toEqual([])
      expect(report.ok).toBe(true)
      const reads = report.rows.filter((r) => r.kind === 'pattern' && r.operation === 'Query')
      expect(
        reads.some((r) => (r.itemCount ?? 0) > 0),
        id,
      ).toBe(true)
    }
    // Each sample generates hundreds of items and checks them on its own engine: seconds on a busy machine.
  }, 60_000)
})
