import { mkdirSync, readFileSync, renameSync, watch, writeFileSync, type FSWatcher } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { lock } from 'proper-lockfile'
import { z } from 'zod'
import { ConnectionProfileInput } from '../../shared/contract/channels/connections'
import { WorkbenchError } from './errors'

/** A saved profile: the contract's input (strict, so no secret key can be stored) with its id filled in. */
export const StoredProfile = ConnectionProfileInput.extend({ id: z.string().min(1) })
export type StoredProfile = z.infer<typeof StoredProfile>

const ProfilesFile = z
  .object({
    version: z.literal(1),
    profiles: z.array(StoredProfile),
  })
  .strict()

export const PROFILES_FILE_NAME = 'connections.json'

/**
 * Where Tablewright keeps user settings: TABLEWRIGHT_USER_DATA if set, else the platform's app-data folder
 * (the same folder Electron's app.getPath('userData') picks for the name "Tablewright").
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.TABLEWRIGHT_USER_DATA) return path.resolve(env.TABLEWRIGHT_USER_DATA)
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Tablewright')
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Tablewright')
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'tablewright')
}

export interface LoadedProfiles {
  profiles: StoredProfile[]
  /** Set when the file exists but is not valid: the profiles are then empty and the file is left untouched. */
  error?: WorkbenchError
}

/** Saved connection profiles in one JSON file. Reads and writes are synchronous: the file is tiny and rarely written. */
export class ProfilesStore {
  constructor(
    readonly file: string = path.join(userDataDir(), PROFILES_FILE_NAME),
    private readonly lockOptions: {
      /** A lock not refreshed for this long is taken to be left by a crashed process. */
      staleMs?: number
      /** How many times to try for the lock before answering 'profiles.locked' (backing off up to 250 ms). */
      retries?: number
    } = {},
  ) {}

  load(): LoadedProfiles {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: [] }
      return { profiles: [], error: this.invalid(`cannot read it: ${(err as Error).message}`) }
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      return { profiles: [], error: this.invalid(`not valid JSON: ${(err as Error).message}`) }
    }
    const parsed = ProfilesFile.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? issue.path.join('.') : '(root)'
      return { profiles: [], error: this.invalid(`${where}: ${issue?.message ?? 'invalid'}`) }
    }
    const ids = new Set<string>()
    for (const p of parsed.data.profiles) {
      if (ids.has(p.id)) return { profiles: [], error: this.invalid(`profile id "${p.id}" appears twice`) }
      ids.add(p.id)
    }
    return { profiles: parsed.data.profiles }
  }

  /** Writes the profiles, refusing to replace a file that exists but could not be read as profiles. */
  save(profiles: StoredProfile[]): void {
    const current = this.load()
    if (current.error) throw current.error
    this.write(profiles)
  }

  /**
   * Read-modify-write under an inter-process lock: the app and the CLI both save, so a writer must start from
   * what is in the file now, not from what it loaded earlier. The lock is `connections.json.lock` (a directory,
   * made atomically) from proper-lockfile, which refreshes its mtime while held and takes one not refreshed
   * for `staleMs` to be left by a crashed process. `change` gets the saved profiles and returns the new list.
   */
  async update<T>(
    change: (profiles: StoredProfile[]) => { profiles: StoredProfile[]; result: T },
  ): Promise<T> {
    mkdirSync(path.dirname(this.file), { recursive: true })
    let compromised: Error | undefined
    let release: () => Promise<void>
    try {
      release = await lock(this.file, {
        realpath: false,
        stale: this.lockOptions.staleMs ?? 10_000,
        retries: { retries: this.lockOptions.retries ?? 60, minTimeout: 20, maxTimeout: 250, factor: 1.5 },
        onCompromised: (err) => {
          compromised = err
        },
      })
    } catch (err) {
      throw new WorkbenchError(
        'profiles.locked',
        `saved connections file ${this.file} is locked by another Tablewright process (${(err as Error).message}); try again`,
        { file: this.file },
      )
    }
    try {
      const current = this.load()
      if (current.error) throw current.error
      const { profiles, result } = change(current.profiles)
      if (compromised) throw compromised
      this.write(profiles)
      return result
    } finally {
      await release().catch(() => undefined)
    }
  }

  /**
   * Calls `onChange` when the file is written by anyone (this process, the CLI, another window). Watches the
   * folder, not the file: every save renames a new file over the old one, which would end a watch on the file.
   * Bursts are coalesced. Returns a function that stops watching.
   */
  watch(onChange: () => void): () => void {
    const dir = path.dirname(this.file)
    const name = path.basename(this.file)
    mkdirSync(dir, { recursive: true })
    let timer: NodeJS.Timeout | undefined
    let watcher: FSWatcher | undefined
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        if (filename !== null && filename !== name) return
        clearTimeout(timer)
        timer = setTimeout(onChange, 50)
      })
      watcher.on('error', () => watcher?.close())
    } catch {
      // A folder that cannot be watched (rare network file systems): changes then show on the next start.
    }
    return () => {
      clearTimeout(timer)
      watcher?.close()
    }
  }

  private write(profiles: StoredProfile[]): void {
    const data = ProfilesFile.parse({ version: 1, profiles })
    mkdirSync(path.dirname(this.file), { recursive: true })
    // Write then rename, so a crash mid-write never leaves a half file behind (and readers never see one).
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { encoding: 'utf8', mode: 0o600 })
    renameSync(tmp, this.file)
  }

  private invalid(reason: string): WorkbenchError {
    return new WorkbenchError(
      'profiles.invalid',
      `saved connections file ${this.file} is invalid (${reason}); it was left as it is: fix it, or move it away to start afresh`,
      { file: this.file },
    )
  }
}

/** A profile id from a name: lowercase, dashes, unique among `taken`. */
export function profileIdFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'connection'
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  return id
}
