import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { RunHistoryEntry, type RunHistorySummary } from '../../shared/contract/channels/workbench'
import { userDataDir } from './profiles.store'

export const RUN_HISTORY_FILE_NAME = 'run-history.json'
/** Per model: enough to look back over a session, small enough that the file stays a few hundred kB. */
export const MAX_RUNS_PER_MODEL = 20

const RunHistoryFile = z
  .object({ version: z.literal(1), models: z.record(z.string(), z.array(RunHistoryEntry)) })
  .strict()
type RunHistory = z.infer<typeof RunHistoryFile>

/**
 * Earlier recipe runs and stream-record replays with their timelines, per model, in one JSON file in the user
 * data folder (like the operation history), so a run can be looked at again after a restart of the app or host.
 */
export class RunHistoryStore {
  /** With `null` for the file (tests, the CLI with its own profiles) the history lives only as long as this object. */
  private memory: RunHistory = { version: 1, models: {} }

  constructor(readonly file: string | null = path.join(userDataDir(), RUN_HISTORY_FILE_NAME)) {}

  /** The history, or `undefined` when the file exists but is not one (it is then left alone). */
  private read(): RunHistory | undefined {
    if (!this.file) return this.memory
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { version: 1, models: {} } : undefined
    }
    try {
      const parsed = RunHistoryFile.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data : undefined
    } catch {
      return undefined
    }
  }

  private write(h: RunHistory): void {
    if (!this.file) {
      this.memory = h
      return
    }
    try {
      mkdirSync(path.dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(h) + '\n', 'utf8')
      renameSync(tmp, this.file)
    } catch {
      // History is a convenience: a read-only user data folder costs the list, never the run.
    }
  }

  /** Newest first, without the timelines. */
  list(modelId: string): RunHistorySummary[] {
    return (this.read()?.models[modelId] ?? []).map(({ id, at, kind, title, ok, steps }) => ({
      id,
      at,
      kind,
      title,
      ...(ok === undefined ? {} : { ok }),
      steps: steps.length,
    }))
  }

  get(modelId: string, id: string): RunHistoryEntry | undefined {
    return this.read()?.models[modelId]?.find((e) => e.id === id)
  }

  /** Records a run (newest first, the oldest dropped past the limit) and returns it with its id. */
  record(modelId: string, run: Omit<RunHistoryEntry, 'id' | 'at'>, now = new Date()): RunHistoryEntry {
    const entry: RunHistoryEntry = { id: randomUUID(), at: now.toISOString(), ...run }
    const h = this.read()
    if (!h) return entry
    h.models[modelId] = [entry, ...(h.models[modelId] ?? [])].slice(0, MAX_RUNS_PER_MODEL)
    this.write(h)
    return entry
  }
}
