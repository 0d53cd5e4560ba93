import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { modelChannels } from '../../shared/contract/channels/models'
import type { OpenModelView } from '../../shared/contract/channels/models'
import { WorkbenchError } from './errors'
import { EventBus } from './event-bus'
import { ModelRegistry } from './model.registry'
import { fileModelId, OpenModels, resolveModelRef, validateModelText } from './open-model.service'
import { RecentModelsStore } from './recent-models.store'

const TABLE = 'shop'

/** A small model of the user's own, unlike the built-in sample in shape (PK/SK, no stream). */
function shopModel(overrides: { name?: string; pattern?: Record<string, unknown> } = {}) {
  return {
    name: overrides.name ?? 'shop',
    tables: [
      {
        name: TABLE,
        attributeDefinitions: [
          { attributeName: 'PK', attributeType: 'S' },
          { attributeName: 'SK', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'PK', keyType: 'HASH' },
          { attributeName: 'SK', keyType: 'RANGE' },
        ],
      },
    ],
    entities: [
      {
        name: 'Order',
        table: TABLE,
        keys: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' },
        colour: '#10b981',
      },
    ],
    sampleData: { items: { [TABLE]: [{ PK: 'CUST#1', SK: 'ORDER#1', total: 12 }] } },
    accessPatterns: [
      {
        id: 'orders',
        name: 'Orders of a customer',
        operation: 'Query',
        table: TABLE,
        entity: 'Order',
        params: [{ name: 'customer', type: 'string', default: '1' }],
        keyCondition: 'PK = :pk',
        values: { ':pk': 'CUST#{customer}' },
        ...overrides.pattern,
      },
    ],
  }
}

const dirs: string[] = []
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'tw-open-model-'))
  dirs.push(d)
  return d
}

const opened: OpenModels[] = []
function setup() {
  const dir = tempDir()
  const bus = new EventBus()
  const registry = new ModelRegistry()
  const recents = new RecentModelsStore(path.join(dir, 'user-data', 'recent-models.json'))
  const models = new OpenModels(registry, bus, recents)
  opened.push(models)
  /** The next model:changed event that satisfies `when`. */
  const next = (when: (v: OpenModelView) => boolean) =>
    new Promise<OpenModelView>((resolve) => {
      const off = bus.subscribe((name, payload) => {
        if (name === 'model:changed' && when(payload as OpenModelView)) {
          off()
          resolve(payload as OpenModelView)
        }
      })
    })
  return { dir, registry, recents, models, next }
}

afterEach(() => {
  for (const m of opened.splice(0)) m.dispose()
})

const write = (file: string, json: unknown) => writeFileSync(file, JSON.stringify(json, null, 2))

describe('resolveModelRef', () => {
  test('a built-in name is the sample, a path is a file, and an unknown name lists the samples', async () => {
    const registry = new ModelRegistry()
    expect(await resolveModelRef('cruddur', registry)).toEqual({ kind: 'builtin', modelId: 'cruddur' })
    const file = path.join(tempDir(), 'm.json')
    write(file, shopModel())
    expect(await resolveModelRef(file, registry)).toEqual({ kind: 'file', file })
    expect(await resolveModelRef('./missing/model.json', registry)).toEqual({
      kind: 'file',
      file: path.resolve('missing/model.json'),
    })
    const err = await resolveModelRef('no-such-sample', registry).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkbenchError)
    expect((err as WorkbenchError).code).toBe('model.notFound')
    expect((err as WorkbenchError).message).toMatch(/built-in samples: cruddur/)
  })
})

describe('OpenModels', () => {
  test('starts on the first built-in sample', () => {
    const { models } = setup()
    expect(models.current()).toMatchObject({ modelId: 'cruddur', source: 'builtin', revision: 0 })
    expect(models.current().file).toBeUndefined()
  })

  test('opens a model file with its sample items, makes it current and remembers it', async () => {
    const { dir, models, registry, recents } = setup()
    const file = path.join(dir, 'shop.json')
    write(file, shopModel())
    const view = await models.open({ file })
    expect(view).toMatchObject({ modelId: fileModelId(file), name: 'shop', source: 'file', file })
    expect(models.current().modelId).toBe(fileModelId(file))
    expect((await registry.entry(view.modelId).items())[TABLE]).toHaveLength(1)
    expect(registry.list().find((m) => m.id === view.modelId)?.file).toBe(file)
    expect(recents.list().map((r) => [r.file, r.name])).toEqual([[file, 'shop']])
    expect(models.recent()).toEqual(recents.list())
    // Switching back to a sample keeps the file model open under its id.
    expect((await models.open({ modelId: 'cruddur' })).name).toBe('cruddur')
    expect(registry.get(view.modelId).name).toBe('shop')
  })

  test('refuses a model naming an unknown entity, with the file and the field path', async () => {
    const { dir, models } = setup()
    const file = path.join(dir, 'bad-entity.json')
    write(file, shopModel({ pattern: { entity: 'Invoice' } }))
    const err = (await models.open({ file }).catch((e: unknown) => e)) as WorkbenchError
    expect(err.code).toBe('model.invalid')
    expect(err.message).toContain(file)
    expect(err.message).toContain('accessPatterns[0].entity')
    expect(err.message).toContain('no entity "Invoice"')
    expect(models.current().modelId).toBe('cruddur')
  })

  test('refuses a model using an undefined parameter, with the file and the field path', async () => {
    const { dir, models } = setup()
    const file = path.join(dir, 'bad-param.json')
    write(file, shopModel({ pattern: { values: { ':pk': 'CUST#{customer_id}' } } }))
    const err = (await models.open({ file }).catch((e: unknown) => e)) as WorkbenchError
    expect(err.code).toBe('model.invalid')
    expect(err.message).toContain(file)
    expect(err.message).toContain('accessPatterns[0].values.:pk: {customer_id} is not a declared parameter')
  })

  test('binds stream handler files relative to the model file, and refuses a missing one at load', async () => {
    const { dir, models, registry } = setup()
    const withHandler = (file: string) => {
      const m = shopModel()
      return {
        ...m,
        tables: [{ ...m.tables[0], stream: { viewType: 'NEW_IMAGE' } }],
        streamHandlers: [{ name: 'totals', table: TABLE, file }],
      }
    }
    writeFileSync(
      path.join(dir, 'totals.mjs'),
      'export const handler = async () => ({ batchItemFailures: [] })\n',
    )
    const good = path.join(dir, 'with-handler.json')
    write(good, withHandler('totals.mjs'))
    const view = await models.open({ file: good })
    expect(registry.get(view.modelId).streamHandlers[0]?.file).toBe(path.join(dir, 'totals.mjs'))

    const bad = path.join(dir, 'missing-handler.json')
    write(bad, withHandler('gone.mjs'))
    const err = (await models.open({ file: bad }).catch((e: unknown) => e)) as WorkbenchError
    expect(err.code).toBe('model.invalid')
    expect(err.message).toContain(bad)
    expect(err.message).toContain('streamHandlers[0].file')
  })

  test('an unreadable path is model.notFound and opens nothing', async () => {
    const { dir, models, recents } = setup()
    const err = (await models
      .open({ file: path.join(dir, 'nope.json') })
      .catch((e: unknown) => e)) as WorkbenchError
    expect(err.code).toBe('model.notFound')
    expect(recents.list()).toEqual([])
  })

  test('a saved file reloads; a bad save keeps the previous model and names the file and field', async () => {
    const { dir, models, registry, next } = setup()
    const file = path.join(dir, 'shop.json')
    write(file, shopModel())
    const { modelId } = await models.open({ file })

    const renamed = next((v) => v.modelId === modelId && v.name === 'shop v2')
    write(file, shopModel({ name: 'shop v2' }))
    expect((await renamed).error).toBeUndefined()
    expect(registry.get(modelId).name).toBe('shop v2')

    const refused = next((v) => v.modelId === modelId && v.error !== undefined)
    write(file, shopModel({ name: 'shop v3', pattern: { entity: 'Nope' } }))
    const bad = await refused
    expect(bad.name).toBe('shop v2')
    expect(bad.error).toMatchObject({ code: 'model.invalid', file })
    expect(bad.error?.issues.map((i) => i.path)).toEqual(['accessPatterns[0].entity'])
    expect(registry.get(modelId).name).toBe('shop v2')
    expect(models.current().error?.code).toBe('model.invalid')

    // Saving by writing a temp file and renaming it over the model, as many editors do.
    const fixed = next((v) => v.modelId === modelId && v.name === 'shop v4' && v.error === undefined)
    const tmp = path.join(dir, '.shop.json.tmp')
    write(tmp, shopModel({ name: 'shop v4' }))
    renameSync(tmp, file)
    expect((await fixed).revision).toBeGreaterThan(bad.revision)
    expect(models.current().error).toBeUndefined()
  })

  test('without a file dialog (the browser host) openDialog says to type a path', async () => {
    const { models } = setup()
    await expect(models.openDialog()).rejects.toMatchObject({ code: 'input.invalid' })
  })

  test('with a dialog, a cancel opens nothing and a pick opens the file', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'picked.json')
    write(file, shopModel({ name: 'picked' }))
    const picks: (string | undefined)[] = [undefined, file]
    const models = new OpenModels(
      new ModelRegistry(),
      new EventBus(),
      new RecentModelsStore(path.join(dir, 'r.json')),
      async () => picks.shift(),
    )
    opened.push(models)
    expect(await models.openDialog()).toBeNull()
    expect((await models.openDialog())?.name).toBe('picked')
  })
})

describe('validateModelText', () => {
  test('lists each field at fault, and bad JSON at the root', () => {
    expect(validateModelText(JSON.stringify(shopModel()))).toEqual({ valid: true, issues: [] })
    const r = validateModelText(JSON.stringify(shopModel({ pattern: { entity: 'X' } })))
    expect(r.valid).toBe(false)
    expect(r.issues.map((i) => i.path)).toEqual(['accessPatterns[0].entity'])
    expect(validateModelText('{').issues[0]?.path).toBe('(root)')
  })
})

describe('RecentModelsStore', () => {
  test('newest first, each file once, at most ten', () => {
    const store = new RecentModelsStore(path.join(tempDir(), 'deep', 'recent-models.json'))
    for (let i = 0; i < 12; i++) store.add(`/m/${i}.json`, `m${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)))
    store.add('/m/5.json', 'm5 again', new Date(Date.UTC(2026, 0, 2)))
    const list = store.list()
    expect(list).toHaveLength(10)
    expect(list.slice(0, 3).map((r) => r.name)).toEqual(['m5 again', 'm11', 'm10'])
    expect(list.filter((r) => r.file === '/m/5.json')).toHaveLength(1)
  })

  test('a file that is not a recents list is left as it is', () => {
    const file = path.join(tempDir(), 'recent-models.json')
    writeFileSync(file, '{"something": "else"}')
    const store = new RecentModelsStore(file)
    expect(store.list()).toEqual([])
    store.add('/m/a.json', 'a')
    expect(readFileSync(file, 'utf8')).toBe('{"something": "else"}')
  })
})

describe('the models:open input', () => {
  test('takes exactly one of modelId and file', () => {
    const input = modelChannels['models:open'].input
    expect(input.safeParse({ modelId: 'cruddur' }).success).toBe(true)
    expect(input.safeParse({ file: '/m.json' }).success).toBe(true)
    expect(input.safeParse({}).success).toBe(false)
    expect(input.safeParse({ modelId: 'cruddur', file: '/m.json' }).success).toBe(false)
    expect(input.safeParse({ file: '/m.json', extra: 1 }).success).toBe(false)
  })
})
