import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { HistoryEntry, type OperationSpec } from '../../shared/contract/channels/operations'
import { userDataDir } from './profiles.store'

export const OPERATION_HISTORY_FILE_NAME = 'operation-history.json'
const MAX_RECENT = 50

const HistoryFile = z
  .object({ version: z.literal(1), saved: z.array(HistoryEntry), recent: z.array(HistoryEntry) })
  .strict()
type History = z.infer<typeof HistoryFile>

/**
 * The operation builder's saved operations and recent runs, in one small JSON file in the user data folder, so
 * they survive restarts of the app and of the browser host (whose origin, and so its localStorage, changes).
 */
export class OperationHistoryStore {
  constructor(readonly file: string = path.join(userDataDir(), OPERATION_HISTORY_FILE_NAME)) {}

  /** The history, or `undefined` when the file exists but is not one (it is then left alone). */
  private read(): History | undefined {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? { version: 1, saved: [], recent: [] }
        : undefined
    }
    try {
      const parsed = HistoryFile.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data : undefined
    } catch {
      return undefined
    }
  }

  private write(h: History): void {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n', 'utf8')
      renameSync(tmp, this.file)
    } catch {
      // History is a convenience: a read-only user data folder costs the list, never the operation.
    }
  }

  list(): { saved: HistoryEntry[]; recent: HistoryEntry[] } {
    const h = this.read()
    return { saved: h?.saved ?? [], recent: h?.recent ?? [] }
  }

  /** The spec this store last recorded, so a run's later pages do not rewrite the file. */
  private lastRecorded: string | undefined

  /**
   * Records a run, newest first; running the same operation again moves it to the top. A later page of a run
   * (`continuing`) is the run already recorded, unless its spec changed since.
   */
  record(spec: OperationSpec, options: { continuing?: boolean; now?: Date } = {}): void {
    const same = JSON.stringify(spec)
    if (options.continuing && same === this.lastRecorded) return
    const h = this.read()
    if (!h) return
    this.lastRecorded = same
    const now = options.now ?? new Date()
    h.recent = [
      { id: randomUUID(), at: now.toISOString(), spec },
      ...h.recent.filter((e) => JSON.stringify(e.spec) !== same),
    ].slice(0, MAX_RECENT)
    this.write(h)
  }

  save(name: string, spec: OperationSpec, now = new Date()): HistoryEntry {
    const entry: HistoryEntry = {
      id: randomUUID(),
      at: now.toISOString(),
      name,
      spec: spec as HistoryEntry['spec'],
    }
    const h = this.read()
    if (h) {
      h.saved = [entry, ...h.saved.filter((e) => e.name !== name)]
      this.write(h)
    }
    return entry
  }

  forget(id: string): void {
    const h = this.read()
    if (!h) return
    h.saved = h.saved.filter((e) => e.id !== id)
    h.recent = h.recent.filter((e) => e.id !== id)
    this.write(h)
  }
}
