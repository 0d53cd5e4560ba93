import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createEngine, DurableStoreError, startEngineServer, type Engine, type EngineServer } from '../engine'
import type {
  ConnectionKind,
  ConnectionProfileInput,
  ConnectionTestResult,
  ConnectionView,
  EngineStorageAction,
  EngineStorageView,
} from '../../shared/contract/channels/connections'
import { dataDirInfo, embeddedDataDir, resetDataDir } from './engine-storage.service'
import { awsCredentials } from './aws-credentials'
import { toWorkbenchError, WorkbenchError } from './errors'
import { profileIdFor, ProfilesStore, type StoredProfile } from './profiles.store'
import { guardWrites, type WriteGuard } from './write-guard'
import type { EventBus } from './event-bus'
import {
  DynamoDbLocalUnavailable,
  startDynamoDbLocal,
  type DynamoDbLocalProcess,
} from './dynamodb-local.launcher'

/** A saved connection. Never holds secret keys: AWS credentials come from the shared config/credentials files. */
export interface ConnectionProfile {
  id: string
  name: string
  kind: ConnectionKind
  /** For dynamodb-local: the endpoint, or `launch` to start the bundled DynamoDB Local. */
  endpoint?: string
  region: string
  /** DynamoDB Local without -sharedDb keeps one database per access key id + region, so the key is part of the connection. */
  accessKeyId?: string
  profile?: string
  color?: string
}

interface LiveConnection {
  status: ConnectionView['status']
  statusMessage?: string
  endpoint?: string
  client?: DynamoDBClient
  streams?: DynamoDBStreamsClient
  starting?: Promise<DynamoDBClient>
  local?: DynamoDbLocalProcess
  engine?: { engine: Engine; server: EngineServer }
  allowWrites: boolean
  /** AWS connections: the middleware that refuses writes until they are allowed. */
  guard?: WriteGuard
  /** Shown as the status message once connected (e.g. DynamoDB Local showing no tables). */
  hint?: string
  /** AWS: the account id shown when writes were allowed. */
  account?: string
}

export const LAUNCH_LOCAL = 'launch'

/** How long "Test" waits for ListTables: long enough for a cold AWS region, short enough to not feel hung. */
export const CONNECTION_TEST_TIMEOUT_MS = 8000

class TestTimeout extends Error {}

/** A custom connection is nothing but its endpoint: it needs one, and `launch` means nothing there. */
function customEndpointProblem(input: { kind: ConnectionKind; endpoint?: string | undefined }) {
  if (input.kind !== 'custom') return undefined
  if (!input.endpoint || input.endpoint === LAUNCH_LOCAL)
    return 'a custom connection needs its endpoint URL, e.g. http://localhost:4566 (LocalStack) or http://localhost:8000 (ScyllaDB Alternator)'
  return undefined
}

/**
 * DynamoDB Local without -sharedDb keeps a separate database per access key id and region, so a client with
 * another key or region sees an empty list: the most common "where did my tables go" with Local.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html
 */
export function localNoTablesHint(endpoint: string | undefined, accessKeyId: string, region: string): string {
  return (
    `No tables at ${endpoint ?? 'this DynamoDB Local'} for access key id "${accessKeyId}" in ${region}. ` +
    'DynamoDB Local keeps one database per access key id and region unless started with -sharedDb: ' +
    'use the same access key id and region as your app, or run DynamoDB Local with -sharedDb.'
  )
}

/** The bundled DynamoDB Local could not be kept to loopback: say so, with what to do. */
export function exposedWarning(local: DynamoDbLocalProcess): string {
  return (
    `DynamoDB Local is listening on every network interface (port ${local.port}), so other machines on your network can ` +
    `read and change this database: ${local.exposedReason ?? 'the loopback launcher was not used'}. ` +
    'Install a full JDK 17+ (with jdk.compiler) to keep it to this machine, or block the port in your firewall.'
  )
}

export interface ConnectionManagerOptions {
  /** Saved profiles; used (loaded, and written by save/remove) only when no explicit profile list is given. */
  store?: ProfilesStore
  /** Follow changes other processes make to the saved profiles file (the app does; the CLI does not). */
  watch?: boolean
  /**
   * Where embedded connections keep their tables at first: 'disk' (in the user data folder, see
   * engine-storage.service.ts) or 'memory'. Default: 'disk' for the app (no explicit profile list), 'memory' for
   * tests and the CLI, which pass their own profiles and must not touch the user's data.
   */
  engineStorage?: 'disk' | 'memory'
}

export const defaultProfiles = (): ConnectionProfile[] => [
  {
    id: 'embedded',
    name: 'Embedded engine',
    kind: 'embedded',
    region: 'us-east-1',
    color: '#22c55e',
  },
  {
    id: 'local',
    name: 'DynamoDB Local (bundled)',
    kind: 'dynamodb-local',
    endpoint: LAUNCH_LOCAL,
    region: 'us-east-1',
    accessKeyId: 'local',
    color: '#3b82f6',
  },
]

/** The base profiles with the saved ones laid over them: a saved profile with a base id replaces it. */
function overlay(base: readonly ConnectionProfile[], saved: readonly StoredProfile[]): ConnectionProfile[] {
  const out = [...base]
  for (const p of saved) {
    const i = out.findIndex((o) => o.id === p.id)
    if (i >= 0) out[i] = p
    else out.push(p)
  }
  return out
}

/** Main owns connections: the renderer only ever sees ids and views, never clients or credentials. */
export class ConnectionManager {
  private profiles: ConnectionProfile[]
  /** What the saved profiles are laid over: the defaults, or the explicit list given to the constructor. */
  private readonly base: ConnectionProfile[]
  private readonly live = new Map<string, LiveConnection>()
  private activeId: string
  private readonly store: ProfilesStore | undefined
  private loadError: WorkbenchError | undefined
  private stopWatching: (() => void) | undefined
  private readonly defaultStorage: 'disk' | 'memory'
  /** Embedded connections switched from the default (an in-memory session, or back to disk). */
  private readonly storageMode = new Map<string, 'disk' | 'memory'>()
  /** What each embedded engine's recovery reported (a torn log tail dropped, say), shown with its storage. */
  private readonly storageWarnings = new Map<string, string[]>()

  /**
   * With an explicit profile list (tests, the CLI) nothing is read or written. Without one, the defaults
   * (embedded engine, bundled DynamoDB Local) plus the saved profiles; a saved profile with a default's id
   * replaces it. With `watch`, a change to the saved profiles file by anyone (the CLI, another window) is
   * loaded and announced with 'connections:changed'.
   */
  constructor(
    private readonly bus: EventBus,
    profiles?: ConnectionProfile[],
    options: ConnectionManagerOptions = {},
  ) {
    this.defaultStorage = options.engineStorage ?? (profiles ? 'memory' : 'disk')
    if (profiles) {
      this.store = options.store
      this.base = profiles
    } else {
      this.store = options.store ?? new ProfilesStore()
      this.base = defaultProfiles()
    }
    const loaded = profiles && !options.store ? { profiles: [] } : this.store!.load()
    this.loadError = loaded.error
    this.profiles = overlay(this.base, loaded.profiles)
    if (this.profiles.length === 0) throw new Error('at least one connection profile is required')
    this.activeId = this.profiles[0]!.id
    if (options.watch && this.store) this.stopWatching = this.store.watch(() => void this.reload())
  }

  /** The saved profiles file could not be read: it is left alone and saving is refused until it is fixed. */
  get profilesError(): WorkbenchError | undefined {
    return this.loadError
  }

  /**
   * Reads the saved profiles file again and takes in what changed: a removed or changed profile is
   * disconnected (it reconnects on next use), and 'connections:changed' tells the renderer.
   */
  async reload(): Promise<void> {
    if (!this.store) return
    const loaded = this.store.load()
    const errorChanged = loaded.error?.message !== this.loadError?.message
    this.loadError = loaded.error
    // An unreadable file keeps the profiles as they were: nothing the user had disappears from the list.
    if (loaded.error) {
      if (errorChanged) this.bus.emit('connections:changed', {})
      return
    }
    const next = overlay(this.base, loaded.profiles)
    const before = new Map(this.profiles.map((p) => [p.id, JSON.stringify(p)]))
    const after = new Map(next.map((p) => [p.id, JSON.stringify(p)]))
    const stale = [...before.keys()].filter((id) => after.get(id) !== before.get(id))
    const changed = stale.length > 0 || [...after.keys()].some((id) => !before.has(id))
    this.profiles = next
    if (!after.has(this.activeId)) this.activeId = next[0]!.id
    for (const id of stale) await this.disconnect(id)
    if (changed || errorChanged) this.bus.emit('connections:changed', {})
  }

  /** Adds or updates a profile and writes the saved ones; an updated profile reconnects on next use. */
  async save(input: ConnectionProfileInput & { region: string }): Promise<ConnectionView> {
    if (input.kind === 'embedded' && input.endpoint)
      throw new WorkbenchError('input.invalid', 'an embedded connection has no endpoint')
    const customProblem = customEndpointProblem(input)
    if (customProblem) throw new WorkbenchError('input.invalid', customProblem)
    const build = (all: ConnectionProfile[]): ConnectionProfile => ({
      ...input,
      id: input.id ?? profileIdFor(input.name, new Set(all.map((p) => p.id))),
    })
    if (!this.store) {
      const profile = build(this.profiles)
      const i = this.profiles.findIndex((p) => p.id === profile.id)
      if (i >= 0) this.profiles[i] = profile
      else this.profiles.push(profile)
      if (i >= 0) await this.disconnect(profile.id)
      this.bus.emit('connections:changed', {})
      return this.view(profile)
    }
    if (this.loadError) throw this.loadError
    // Ids and the list come from the file as it is now, under its lock, so a profile the CLI saved meanwhile stays.
    const profile = await this.store.update((saved) => {
      const p = build(overlay(this.base, saved))
      const unchangedBase = JSON.stringify(this.base.find((b) => b.id === p.id)) === JSON.stringify(p)
      const i = saved.findIndex((s) => s.id === p.id)
      const next = [...saved]
      if (unchangedBase) next.splice(i < 0 ? next.length : i, i < 0 ? 0 : 1)
      else if (i >= 0) next[i] = p as StoredProfile
      else next.push(p as StoredProfile)
      return { profiles: next, result: p }
    })
    await this.reload()
    return this.view(this.profile(profile.id))
  }

  /** Removes a saved profile (the built-in ones stay). */
  async remove(id: string): Promise<boolean> {
    if (this.base.some((p) => p.id === id))
      throw new WorkbenchError('input.invalid', `"${id}" is a built-in connection and cannot be removed`, {
        connectionId: id,
      })
    if (!this.store) {
      const i = this.profiles.findIndex((p) => p.id === id)
      if (i < 0) return false
      this.profiles.splice(i, 1)
      await this.disconnect(id)
      if (this.activeId === id) this.activeId = this.profiles[0]!.id
      this.bus.emit('connections:changed', {})
      return true
    }
    if (this.loadError) throw this.loadError
    const removed = await this.store.update((saved) => {
      const next = saved.filter((p) => p.id !== id)
      return { profiles: next, result: next.length < saved.length }
    })
    await this.reload()
    return removed
  }

  private async disconnect(id: string): Promise<void> {
    const live = this.live.get(id)
    if (!live) return
    this.live.delete(id)
    live.client?.destroy()
    live.streams?.destroy()
    await live.local?.stop()
    await live.engine?.server.close()
    await live.engine?.engine.close()
  }

  /** Where an embedded connection keeps its tables, and how much they take. */
  storage(id: string): EngineStorageView {
    const profile = this.embeddedProfile(id)
    const mode = this.storageMode.get(id) ?? this.defaultStorage
    const warnings = this.storageWarnings.get(id) ?? []
    if (mode === 'memory') return { connectionId: id, mode, warnings }
    const info = this.live.get(id)?.engine?.engine.storageInfo() ?? dataDirInfo(embeddedDataDir(profile.id))
    return { connectionId: id, mode, dataDir: info.dataDir, bytes: info.bytes, warnings }
  }

  /**
   * Switches an embedded connection to an in-memory session ('memory') or back to its data folder ('disk'), or
   * deletes its data ('reset', which needs confirm). The engine is stopped and started again either way.
   */
  async setStorage(id: string, action: EngineStorageAction, confirm = false): Promise<EngineStorageView> {
    const profile = this.embeddedProfile(id)
    const mode = this.storageMode.get(id) ?? this.defaultStorage
    if (action === 'reset' && mode === 'disk' && !confirm) resetDataDir(embeddedDataDir(profile.id), false)
    const wasLive = this.live.get(id)?.engine !== undefined
    await this.disconnect(id)
    this.storageWarnings.delete(id)
    if (action === 'reset') {
      if (mode === 'disk') resetDataDir(embeddedDataDir(profile.id), true)
    } else this.storageMode.set(id, action)
    this.bus.emit('connections:changed', {})
    if (wasLive) {
      await this.client(id)
      this.bus.emit('tables:changed', { connectionId: id })
    }
    return this.storage(id)
  }

  private embeddedProfile(id: string): ConnectionProfile {
    const profile = this.profile(id)
    if (profile.kind !== 'embedded')
      throw new WorkbenchError('input.invalid', `${profile.name} is not an embedded engine connection`, {
        connectionId: id,
      })
    return profile
  }

  list(): ConnectionView[] {
    return this.profiles.map((p) => this.view(p))
  }

  profile(id: string): ConnectionProfile {
    const profile = this.profiles.find((p) => p.id === id)
    if (!profile) throw new WorkbenchError('connection.notFound', `No connection with id "${id}".`)
    return profile
  }

  view(profile: ConnectionProfile): ConnectionView {
    const live = this.live.get(profile.id)
    return {
      id: profile.id,
      name: profile.name,
      kind: profile.kind,
      endpoint: live?.endpoint ?? (profile.endpoint === LAUNCH_LOCAL ? undefined : profile.endpoint),
      region: profile.region,
      profile: profile.profile,
      color: profile.color,
      status: live?.status ?? 'idle',
      statusMessage: live?.statusMessage,
      warning: live?.local?.binding === 'all-interfaces' ? exposedWarning(live.local) : undefined,
      readOnly: profile.kind === 'aws' && !(live?.allowWrites ?? false),
      account: live?.account,
      active: profile.id === this.activeId,
      accessKeyId: profile.kind === 'aws' ? undefined : profile.accessKeyId,
      builtIn: this.base.some((b) => b.id === profile.id),
    }
  }

  /** Connects (starting DynamoDB Local if the profile asks for it), proves it with ListTables, and makes it active. */
  async connect(id: string): Promise<ConnectionView> {
    const profile = this.profile(id)
    this.activeId = id
    await this.client(id)
    return this.view(profile)
  }

  async client(id: string): Promise<DynamoDBClient> {
    const profile = this.profile(id)
    let live = this.live.get(id)
    if (live?.client) return live.client
    if (live?.starting) return live.starting
    live = { status: 'starting', allowWrites: live?.allowWrites ?? false }
    this.live.set(id, live)
    this.bus.emit('connections:changed', {})
    const entry = live
    entry.starting = this.open(profile, entry)
      .then((client) => {
        entry.client = client
        entry.status = 'connected'
        entry.statusMessage = entry.hint
        return client
      })
      .catch((err: unknown) => {
        entry.status = 'error'
        entry.statusMessage = err instanceof Error ? err.message : String(err)
        throw err
      })
      .finally(() => {
        entry.starting = undefined
        this.bus.emit('connections:changed', {})
      })
    try {
      return await entry.starting
    } catch (err) {
      // Keep the error visible in the view, but let a later call retry from scratch.
      this.live.set(id, { status: 'error', statusMessage: entry.statusMessage, allowWrites: false })
      throw err
    }
  }

  /** The in-process engine behind an embedded connection (for subscriptions without polling). */
  engine(id: string): Engine | undefined {
    return this.live.get(id)?.engine?.engine
  }

  /** A DynamoDB Streams client for the same endpoint and credentials. */
  async streamsClient(id: string): Promise<DynamoDBStreamsClient> {
    await this.client(id)
    const live = this.live.get(id)!
    if (!live.streams) {
      const profile = this.profile(id)
      live.streams = new DynamoDBStreamsClient({
        region: profile.region,
        endpoint: live.endpoint,
        credentials: this.credentials(profile),
      })
    }
    return live.streams
  }

  /**
   * Sets the switch. For AWS, call it through setWriteAccess (write-access.ts), which asks for the typed
   * confirmation; `account` is what that confirmation showed, kept for the renderer's banner.
   */
  allowWrites(id: string, allow: boolean, account?: string): ConnectionView {
    const profile = this.profile(id)
    const live = this.live.get(id) ?? { status: 'idle' as const, allowWrites: false }
    live.allowWrites = allow
    if (account) live.account = account
    live.guard?.allowWrites(allow)
    this.live.set(id, live)
    this.bus.emit('connections:changed', {})
    return this.view(profile)
  }

  /** The credentials a connection signs with, for other AWS clients in services (STS); never for the renderer. */
  credentialProvider(id: string) {
    return this.credentials(this.profile(id))
  }

  private credentials(profile: Pick<ConnectionProfile, 'kind' | 'profile' | 'accessKeyId'>) {
    if (profile.kind === 'aws') return awsCredentials(profile.profile)
    // A custom endpoint that checks signatures (Alternator with authorization on) signs with a named profile.
    if (profile.kind === 'custom' && profile.profile) return awsCredentials(profile.profile)
    return { accessKeyId: profile.accessKeyId ?? 'local', secretAccessKey: 'local' }
  }

  /**
   * Tries a profile as typed, saved or not, with one ListTables bounded by `timeoutMs`, and says how it went in
   * plain words. Nothing is saved, no engine or DynamoDB Local is started, and the live connections are untouched.
   */
  async test(
    input: ConnectionProfileInput & { region: string },
    timeoutMs = CONNECTION_TEST_TIMEOUT_MS,
  ): Promise<ConnectionTestResult> {
    const started = Date.now()
    const done = (r: Omit<ConnectionTestResult, 'durationMs'>): ConnectionTestResult => ({
      ...r,
      durationMs: Date.now() - started,
    })
    if (input.kind === 'embedded')
      return done({
        ok: true,
        message: 'The embedded engine runs inside the app: there is nothing to reach.',
      })
    if (input.kind === 'dynamodb-local' && (!input.endpoint || input.endpoint === LAUNCH_LOCAL))
      return done({
        ok: true,
        message: 'The bundled DynamoDB Local starts when you connect to it (it needs Java 17 or later).',
      })
    const customProblem = customEndpointProblem(input)
    if (customProblem) return done({ ok: false, code: 'input.invalid', message: customProblem })
    const endpoint = input.endpoint
    const where = endpoint ?? `AWS in ${input.region}`
    const client = new DynamoDBClient({
      region: input.region,
      endpoint,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: Math.min(timeoutMs, 5000), requestTimeout: timeoutMs },
      credentials: this.credentials(input),
    })
    let timer: NodeJS.Timeout | undefined
    try {
      const answer = client.send(new ListTablesCommand({ Limit: 100 }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      })
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TestTimeout()), timeoutMs)
      })
      const out = await Promise.race([answer, timeout])
      const n = out.TableNames?.length ?? 0
      const count = `${n}${out.LastEvaluatedTableName ? '+' : ''} table${n === 1 ? '' : 's'}`
      const hint =
        input.kind === 'dynamodb-local' && n === 0
          ? ` ${localNoTablesHint(endpoint, input.accessKeyId ?? 'local', input.region)}`
          : ''
      return done({ ok: true, tables: n, message: `Connected to ${where}: ${count}.${hint}` })
    } catch (err) {
      if (
        err instanceof TestTimeout ||
        (err instanceof Error && /abort|timed? ?out/i.test(err.name + err.message))
      )
        return done({
          ok: false,
          code: 'connection.unavailable',
          message: `No answer from ${where} within ${Math.round(timeoutMs / 1000)} s. Is it running, and is the address right?`,
        })
      const e = toWorkbenchError(err)
      if (e.code === 'connection.credentials') return done({ ok: false, code: e.code, message: e.message })
      return done({ ok: false, code: e.code, message: `Could not use ${where}: ${e.message}` })
    } finally {
      clearTimeout(timer)
      client.destroy()
    }
  }

  private async open(profile: ConnectionProfile, live: LiveConnection): Promise<DynamoDBClient> {
    let endpoint = profile.endpoint
    if (profile.kind === 'embedded') {
      // The engine runs in this process; its HTTP door on loopback lets the user's own app and tools share it.
      const dataDir =
        (this.storageMode.get(profile.id) ?? this.defaultStorage) === 'disk'
          ? embeddedDataDir(profile.id)
          : undefined
      const warnings: string[] = []
      this.storageWarnings.set(profile.id, warnings)
      let engine: Engine
      try {
        engine = createEngine({
          region: profile.region,
          dataDir,
          onStorageWarning: (m) => warnings.push(m),
          // The connection opens at once; requests wait only for the tables they name while the rest loads.
          loadInBackground: true,
        })
      } catch (err) {
        if (!(err instanceof DurableStoreError)) throw err
        throw new WorkbenchError('engine.unavailable', err.message, { dataDir, reason: err.code })
      }
      let server: EngineServer
      try {
        // loopbackHostOnly: a page that rebinds its own name to 127.0.0.1 must not reach the user's tables.
        server = await startEngineServer(engine, { port: 0, host: '127.0.0.1', loopbackHostOnly: true })
      } catch (err) {
        await engine.close()
        throw err
      }
      live.engine = { engine, server }
      endpoint = server.endpoint
    }
    if (profile.kind === 'dynamodb-local' && (!endpoint || endpoint === LAUNCH_LOCAL)) {
      try {
        live.local = await startDynamoDbLocal()
      } catch (err) {
        if (err instanceof DynamoDbLocalUnavailable) {
          throw new WorkbenchError('connection.unavailable', err.message, { reason: err.reason })
        }
        throw err
      }
      endpoint = live.local.endpoint
    }
    live.endpoint = endpoint
    const aws = profile.kind === 'aws'
    const client = new DynamoDBClient({
      region: profile.region,
      endpoint,
      // A wrong region or a dead network must fail in seconds, not after the SDK's default minutes of retries.
      maxAttempts: aws ? 2 : 3,
      requestHandler: { connectionTimeout: 5000, requestTimeout: 30_000 },
      credentials: this.credentials(profile),
    })
    // Exploring a real account must not change it by accident: every write is refused until allowed.
    if (aws) live.guard = guardWrites(client, { allowed: live.allowWrites, connection: profile.name })
    try {
      const probe = await client.send(new ListTablesCommand({ Limit: 1 }))
      if (profile.kind === 'dynamodb-local' && (probe.TableNames ?? []).length === 0)
        live.hint = localNoTablesHint(endpoint, profile.accessKeyId ?? 'local', profile.region)
    } catch (err) {
      client.destroy()
      const e = toWorkbenchError(err)
      if (e.code === 'connection.credentials') throw e
      throw new WorkbenchError(
        'connection.unavailable',
        `Could not reach ${endpoint ?? `AWS in ${profile.region}`}: ${e.message}`,
        { endpoint },
      )
    }
    return client
  }

  async dispose(): Promise<void> {
    this.stopWatching?.()
    for (const live of this.live.values()) {
      live.client?.destroy()
      live.streams?.destroy()
      await live.local?.stop()
      await live.engine?.server.close()
      await live.engine?.engine.close()
    }
    this.live.clear()
  }
}
