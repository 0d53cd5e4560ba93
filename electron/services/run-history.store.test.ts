import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_RUNS_PER_MODEL, RunHistoryStore } from './run-history.store'

const tmpFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'tw-runs-')), 'run-history.json')
const step = { kind: 'write' as const, title: 'PutItem A · 1' }

describe('RunHistoryStore', () => {
  it('keeps runs per model, newest first, and survives a new store on the same file', () => {
    const file = tmpFile()
    const a = new RunHistoryStore(file)
    const first = a.record('m1', { kind: 'recipe', title: 'Send', ok: true, steps: [step] }, new Date(1000))
    a.record('m1', { kind: 'replay', title: 'Replay of record 7', steps: [step, step] }, new Date(2000))
    a.record('m2', { kind: 'recipe', title: 'Other', ok: false, steps: [] })
    const b = new RunHistoryStore(file)
    expect(b.list('m1').map((r) => [r.title, r.steps])).toEqual([
      ['Replay of record 7', 2],
      ['Send', 1],
    ])
    expect(b.list('m2')).toHaveLength(1)
    expect(b.get('m1', first.id)?.steps).toEqual([step])
    expect(b.get('m2', first.id)).toBeUndefined()
  })

  it('drops the oldest past the limit', () => {
    const s = new RunHistoryStore(tmpFile())
    for (let i = 0; i < MAX_RUNS_PER_MODEL + 3; i++)
      s.record('m', { kind: 'recipe', title: `run ${i}`, steps: [] })
    const list = s.list('m')
    expect(list).toHaveLength(MAX_RUNS_PER_MODEL)
    expect(list[0]!.title).toBe(`run ${MAX_RUNS_PER_MODEL + 2}`)
  })

  it('leaves a file that is not a history alone', () => {
    const file = tmpFile()
    writeFileSync(file, '{"not":"ours"}')
    const s = new RunHistoryStore(file)
    s.record('m', { kind: 'recipe', title: 'x', steps: [] })
    expect(s.list('m')).toEqual([])
    expect(readFileSync(file, 'utf8')).toBe('{"not":"ours"}')
  })

  it('with null for the file keeps the history in memory only', () => {
    const s = new RunHistoryStore(null)
    s.record('m', { kind: 'recipe', title: 'x', steps: [] })
    expect(s.list('m')).toHaveLength(1)
    expect(new RunHistoryStore(null).list('m')).toEqual([])
  })
})
