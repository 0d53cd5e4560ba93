import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { fromIni } from '@aws-sdk/credential-providers'
import { createEngine, startEngineServer, type Engine, type EngineServer } from '../engine'
import type { ConnectionKind, ConnectionView } from '../../shared/contract/channels/connections'
import type { EventBus } from './event-bus'
import { DynamoDbLocalUnavailable, startDynamoDbLocal, type DynamoDbLocalProcess } from './dynamodb-local.launcher'
import { codedError } from './coded-error'

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
}

export const LAUNCH_LOCAL = 'launch'

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

/** Main owns connections: the renderer only ever sees ids and views, never clients or credentials. */
export class ConnectionManager {
  private readonly profiles: ConnectionProfile[]
  private readonly live = new Map<string, LiveConnection>()
  private activeId: string

  constructor(
    private readonly bus: EventBus,
    profiles: ConnectionProfile[] = defaultProfiles(),
  ) {
    if (profiles.length === 0) throw new Error('at least one connection profile is required')
    this.profiles = profiles
    this.activeId = profiles[0]!.id
  }

  list(): ConnectionView[] {
    return this.profiles.map((p) => this.view(p))
  }

  profile(id: string): ConnectionProfile {
    const profile = this.profiles.find((p) => p.id === id)
    if (!profile) throw codedError('connection.notFound', `No connection with id "${id}".`)
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
      readOnly: profile.kind === 'aws' && !(live?.allowWrites ?? false),
      active: profile.id === this.activeId,
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
        entry.statusMessage = undefined
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

  allowWrites(id: string, allow: boolean): ConnectionView {
    const profile = this.profile(id)
    const live = this.live.get(id) ?? { status: 'idle' as const, allowWrites: false }
    live.allowWrites = allow
    this.live.set(id, live)
    this.bus.emit('connections:changed', {})
    return this.view(profile)
  }

  private credentials(profile: ConnectionProfile) {
    if (profile.kind === 'aws') return profile.profile ? fromIni({ profile: profile.profile }) : undefined
    return { accessKeyId: profile.accessKeyId ?? 'local', secretAccessKey: 'local' }
  }

  private async open(profile: ConnectionProfile, live: LiveConnection): Promise<DynamoDBClient> {
    let endpoint = profile.endpoint
    if (profile.kind === 'embedded') {
      // The engine runs in this process; its HTTP door on loopback lets the user's own app and tools share it.
      const engine = createEngine({ region: profile.region })
      const server = await startEngineServer(engine, { port: 0, host: '127.0.0.1' })
      live.engine = { engine, server }
      endpoint = server.endpoint
    }
    if (profile.kind === 'dynamodb-local' && (!endpoint || endpoint === LAUNCH_LOCAL)) {
      try {
        live.local = await startDynamoDbLocal()
      } catch (err) {
        if (err instanceof DynamoDbLocalUnavailable) {
          throw codedError('connection.unavailable', err.message, { reason: err.reason })
        }
        throw err
      }
      endpoint = live.local.endpoint
    }
    live.endpoint = endpoint
    const client = new DynamoDBClient({
      region: profile.region,
      endpoint,
      maxAttempts: 3,
      credentials: this.credentials(profile),
    })
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }))
    } catch (err) {
      client.destroy()
      const message = err instanceof Error ? err.message : String(err)
      throw codedError('connection.unavailable', `Could not reach ${endpoint ?? profile.kind}: ${message}`)
    }
    return client
  }

  async dispose(): Promise<void> {
    for (const live of this.live.values()) {
      live.client?.destroy()
      live.streams?.destroy()
      await live.local?.stop()
      await live.engine?.server.close()
    }
    this.live.clear()
  }
}
