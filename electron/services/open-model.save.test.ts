import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { WorkbenchError } from './errors'
import { EventBus } from './event-bus'
import { ModelRegistry } from './model.registry'
import { OpenModels } from './open-model.service'
import { RecentModelsStore } from './recent-models.store'

const dirs: string[] = []
const opened: OpenModels[] = []
afterEach(() => {
  for (const m of opened.splice(0)) m.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-save-model-'))
  dirs.push(dir)
  const models = new OpenModels(
    new ModelRegistry(),
    new EventBus(),
    new RecentModelsStore(path.join(dir, 'user-data', 'recent-models.json')),
  )
  opened.push(models)
  return { dir, models }
}

const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WorkbenchError)
  return (err as WorkbenchError).code
}

describe('the model editor: source and save', () => {
  test('a built-in sample is saved with Save As anywhere, and the saved file opens with its handler and items', async () => {
    const { dir, models } = setup()
    const source = await models.source('cruddur')
    expect(source.saveInPlace).toBe(false)
    expect(await codeOf(models.save({ modelId: 'cruddur', text: source.text }))).toBe('input.invalid')

    const file = path.join(dir, 'copy', 'my-model.json')
    // The folder does not exist: a clear refusal, no stray file.
    expect(await codeOf(models.save({ modelId: 'cruddur', text: source.text, file }))).toBe('input.invalid')

    const target = path.join(dir, 'my-model.json')
    const view = await models.save({ modelId: 'cruddur', text: source.text, file: target })
    expect(view).toMatchObject({ source: 'file', file: target, name: 'cruddur' })
    expect(models.current().modelId).toBe(view.modelId)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp.json'))).toEqual([])
  })

  test('a bad model is refused naming the field, and the file on disk is left as it was', async () => {
    const { dir, models } = setup()
    const target = path.join(dir, 'm.json')
    const good = (await models.source('cruddur')).text
    await models.save({ modelId: 'cruddur', text: good, file: target })
    const before = readFileSync(target, 'utf8')
    const bad = good.replace('"operation": "Query"', '"operation": "Fetch"')
    const err = await models
      .save({
        modelId: models.current().modelId,
        text: bad,
        baseSha: (await models.source(models.current().modelId)).sha,
      })
      .catch((e: unknown) => e as WorkbenchError)
    expect(err).toBeInstanceOf(WorkbenchError)
    expect((err as WorkbenchError).code).toBe('model.invalid')
    expect((err as WorkbenchError).message).toContain(target)
    expect(JSON.stringify((err as WorkbenchError).details)).toContain('accessPatterns[0].operation')
    expect(readFileSync(target, 'utf8')).toBe(before)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp.json'))).toEqual([])
  })

  test('saving over a file changed on disk since the editor read it is refused as a conflict', async () => {
    const { dir, models } = setup()
    const target = path.join(dir, 'm.json')
    const text = (await models.source('cruddur')).text
    const view = await models.save({ modelId: 'cruddur', text, file: target })
    const source = await models.source(view.modelId)
    expect(source).toMatchObject({ file: target, text, saveInPlace: true })

    writeFileSync(target, text.replace('"cruddur"', '"cruddur-edited-elsewhere"'))
    const edited = text.replace('"description": "Cruddur', '"description": "Mine: Cruddur')
    expect(await codeOf(models.save({ modelId: view.modelId, text: edited, baseSha: source.sha }))).toBe(
      'model.conflict',
    )
    expect(readFileSync(target, 'utf8')).toContain('cruddur-edited-elsewhere')

    const fresh = await models.source(view.modelId)
    await models.save({ modelId: view.modelId, text: edited, baseSha: fresh.sha })
    expect(readFileSync(target, 'utf8')).toBe(edited)
  })

  test('Save As over an existing file needs confirmation', async () => {
    const { dir, models } = setup()
    const target = path.join(dir, 'taken.json')
    writeFileSync(target, '{}')
    const text = (await models.source('cruddur')).text
    expect(await codeOf(models.save({ modelId: 'cruddur', text, file: target }))).toBe('confirm.required')
    expect(readFileSync(target, 'utf8')).toBe('{}')
    await models.save({ modelId: 'cruddur', text, file: target, overwrite: true })
    expect(existsSync(target) && readFileSync(target, 'utf8')).toBe(text)
  })
})
