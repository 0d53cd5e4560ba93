import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Handlers } from '../../shared/contract/contract'
import { ConnectionManager, type ConnectionProfile } from './connections.service'
import { EventBus } from './event-bus'
import { createHandlers } from './handlers'
import { WorkbenchError } from './errors'
import { closeHandlerRunners } from './handlers/invoke'
import { ModelRegistry } from './model.registry'

export interface WorkbenchOptions {
  version: string
  host: 'desktop' | 'browser'
  profiles?: ConnectionProfile[]
}

/** The services behind every host: connections, an event bus, and one handler per contract channel. */
export class Workbench {
  readonly bus = new EventBus()
  readonly connections: ConnectionManager
  readonly models = new ModelRegistry()
  readonly handlers: Handlers
  readonly version: string
  readonly host: 'desktop' | 'browser'

  constructor(options: WorkbenchOptions) {
    this.version = options.version
    this.host = options.host
    // The app follows the saved profiles file, so what the CLI saves shows up without a restart.
    this.connections = new ConnectionManager(this.bus, options.profiles, { watch: !options.profiles })
    this.handlers = createHandlers(this)
  }

  /** A client for a write: refused on a read-only (AWS, writes not allowed) connection. */
  async writableClient(connectionId: string): Promise<DynamoDBClient> {
    const view = this.connections.view(this.connections.profile(connectionId))
    if (view.readOnly) {
      throw new WorkbenchError(
        'connection.readOnly',
        `${view.name} is read-only. Allow writes on this connection first.`,
        { connectionId },
      )
    }
    return this.connections.client(connectionId)
  }

  async dispose(): Promise<void> {
    closeHandlerRunners()
    await this.connections.dispose()
  }
}
