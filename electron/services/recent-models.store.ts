import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { RecentModel } from '../../shared/contract/channels/models'
import { userDataDir } from './profiles.store'

export const RECENT_MODELS_FILE_NAME = 'recent-models.json'
const MAX_RECENT = 10

const RecentFile = z.object({ version: z.literal(1), models: z.array(RecentModel) }).strict()

/** Model files the user opened, newest first, in one small JSON file in the user data folder. */
export class RecentModelsStore {
  constructor(readonly file: string = path.join(userDataDir(), RECENT_MODELS_FILE_NAME)) {}

  /** The list, or `undefined` when the file exists but is not a recent-models file (it is then left alone). */
  private read(): RecentModel[] | undefined {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined
    }
    try {
      const parsed = RecentFile.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data.models : undefined
    } catch {
      return undefined
    }
  }

  list(): RecentModel[] {
    return this.read() ?? []
  }

  /** Puts a file first; the list is a convenience, so a failure to write it never fails the open. */
  add(file: string, name: string, now = new Date()): void {
    const current = this.read()
    if (!current) return
    const models = [
      { file, name, openedAt: now.toISOString() },
      ...current.filter((m) => m.file !== file),
    ].slice(0, MAX_RECENT)
    try {
      mkdirSync(path.dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify({ version: 1, models }, null, 2) + '\n', 'utf8')
      renameSync(tmp, this.file)
    } catch {
      // A read-only or missing user data folder costs the user the recents list, not the model.
    }
  }
}
