import fs from 'node:fs'
import path from 'node:path'
import { WorkbenchError } from './errors'
import { userDataDir } from './profiles.store'

/**
 * Where an embedded connection keeps its tables: `<user data>/engine/<connection id>` (TABLEWRIGHT_USER_DATA is
 * honoured through userDataDir). The default connection's data is therefore in `<user data>/engine/embedded`.
 */
export function embeddedDataDir(connectionId: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), 'engine', connectionId)
}

export interface DataDirInfo {
  dataDir: string
  /** Bytes of the engine's files in it (0 when the directory does not exist yet). */
  bytes: number
}

/** The files the engine writes in a data directory; reset removes these and nothing else. */
const ENGINE_FILE = /^(snapshot-\d+\.twsnap|wal-\d+\.twlog|.*\.tmp|LOCK)$/

export function dataDirInfo(dataDir: string): DataDirInfo {
  let bytes = 0
  let names: string[] = []
  try {
    names = fs.readdirSync(dataDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(dataDir, err)
  }
  for (const name of names) {
    if (!ENGINE_FILE.test(name)) continue
    try {
      bytes += fs.statSync(path.join(dataDir, name)).size
    } catch {
      // Removed by a compaction meanwhile.
    }
  }
  return { dataDir, bytes }
}

/**
 * Deletes an engine's data (its tables, items and stream records) from a directory no engine holds. The caller
 * closes its own engine first; one held by another process (the app, a `tablewright engine --data-dir`) is refused
 * with the PID that holds it.
 */
export function resetDataDir(dataDir: string, confirm: boolean): DataDirInfo {
  const before = dataDirInfo(dataDir)
  if (!confirm) {
    throw new WorkbenchError(
      'confirm.required',
      `Resetting deletes every table and item kept in ${dataDir} (${before.bytes} bytes). Confirm to go ahead.`,
      { dataDir, bytes: before.bytes },
    )
  }
  const holder = lockHolder(dataDir)
  if (holder !== undefined) {
    throw new WorkbenchError(
      'engine.unavailable',
      `${dataDir} is in use by PID ${holder}: stop that engine (or the app) first.`,
      { dataDir, pid: holder },
    )
  }
  let names: string[]
  try {
    names = fs.readdirSync(dataDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return before
    throw storageError(dataDir, err)
  }
  for (const name of names) if (ENGINE_FILE.test(name)) fs.rmSync(path.join(dataDir, name), { force: true })
  return dataDirInfo(dataDir)
}

/** The PID in the directory's LOCK file, if that process is alive. */
function lockHolder(dataDir: string): number | undefined {
  let pid: number
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'LOCK'), 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}

function storageError(dataDir: string, err: unknown): WorkbenchError {
  return new WorkbenchError('engine.unavailable', `Cannot read ${dataDir}: ${(err as Error).message}`, {
    dataDir,
  })
}
