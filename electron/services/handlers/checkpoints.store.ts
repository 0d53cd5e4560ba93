import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { userDataDir } from '../profiles.store'
import type { StreamCheckpoint } from '../stream.service'

const Checkpoint = z.object({ streamArn: z.string(), shards: z.record(z.string(), z.string().nullable()) })
const CheckpointsFile = z.object({ version: z.literal(1), checkpoints: z.record(z.string(), Checkpoint) })

export const CHECKPOINTS_FILE_NAME = 'stream-checkpoints.json'

/**
 * Where `stream-process` got to, per connection and table (like an event source mapping's position in its
 * stream), in the user data folder. A checkpoint for another stream of the table (it was re-created) is not
 * used. An unreadable file is treated as empty and replaced on the next save.
 */
export class CheckpointStore {
  constructor(private readonly file = path.join(userDataDir(), CHECKPOINTS_FILE_NAME)) {}

  private read(): Record<string, StreamCheckpoint> {
    try {
      const parsed = CheckpointsFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')))
      return parsed.success ? parsed.data.checkpoints : {}
    } catch {
      return {}
    }
  }

  static key(connection: string, table: string): string {
    return `${connection} ${table}`
  }

  get(connection: string, table: string): StreamCheckpoint | undefined {
    return this.read()[CheckpointStore.key(connection, table)]
  }

  set(connection: string, table: string, checkpoint: StreamCheckpoint): void {
    const all = this.read()
    all[CheckpointStore.key(connection, table)] = checkpoint
    mkdirSync(path.dirname(this.file), { recursive: true })
    // Write then rename, so an interrupted save never leaves half a file.
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify({ version: 1, checkpoints: all }, null, 2) + '\n', 'utf8')
    renameSync(tmp, this.file)
  }
}
