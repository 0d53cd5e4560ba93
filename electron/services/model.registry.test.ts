import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ModelRegistry, samplesDir } from './model.registry'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

test("the built-in samples are the app's seeds/ folders with a model.json, found at run time", async () => {
  const registry = new ModelRegistry()
  expect(registry.problems).toEqual([])
  const cruddur = registry.list().find((m) => m.id === 'cruddur')
  expect(cruddur).toMatchObject({ source: 'builtin', name: 'cruddur' })
  // A built-in sample shows no file path, but its items are read from beside its model.
  expect(cruddur).not.toHaveProperty('file')
  expect(registry.entry('cruddur').file).toBe(path.join(samplesDir(), 'cruddur', 'model.json'))
  const items = await registry.entry('cruddur').items()
  expect(items['cruddur-messages']!.length).toBeGreaterThan(10)
})

test('a new sample folder needs no code; a broken one is left out and reported, the others still load', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-samples-'))
  dirs.push(dir)
  const good = JSON.parse(readFileSync(path.join(samplesDir(), 'cruddur', 'model.json'), 'utf8')) as {
    name: string
    sampleData?: unknown
    streamHandlers?: unknown
  }
  mkdirSync(path.join(dir, 'another'))
  writeFileSync(
    path.join(dir, 'another', 'model.json'),
    JSON.stringify({
      ...good,
      name: 'another',
      sampleData: undefined,
      streamHandlers: [],
      commands: [],
      accessPatterns: [],
      recipes: [],
    }),
  )
  mkdirSync(path.join(dir, 'broken'))
  writeFileSync(path.join(dir, 'broken', 'model.json'), JSON.stringify({ name: 'broken', tables: [] }))
  mkdirSync(path.join(dir, 'not-a-sample'))
  const registry = new ModelRegistry(dir)
  expect(registry.problems.filter((p) => p.file.includes('another'))).toEqual([])
  expect(registry.list().map((m) => m.id)).toEqual(['another'])
  expect(registry.problems).toEqual([
    expect.objectContaining({ file: path.join(dir, 'broken', 'model.json'), code: 'model.invalid' }),
  ])
  expect(new ModelRegistry(path.join(dir, 'missing')).list()).toEqual([])
})
