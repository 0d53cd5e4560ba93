import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Handlers } from '../../shared/contract/contract'
import { ConnectionManager, type ConnectionProfile } from './connections.service'
import { EventBus } from './event-bus'
import { createHandlers } from './handlers'
import { WorkbenchError } from './errors'
import { closeHandlerRunners } from './handlers/invoke'
import { ItemSnapshots } from './items-view.service'
import { ModelRegistry } from './model.registry'
import { OpenModels } from './open-model.service'
import { OperationHistoryStore } from './operation-history.store'
import { RecentModelsStore } from './recent-models.store'
import { RunHistoryStore } from './run-history.store'
import { TableDescriptionCache } from './table-description.cache'

export interface WorkbenchOptions {
  version: string
  host: 'desktop' | 'browser'
  profiles?: ConnectionProfile[]
  /** The desktop host's file dialog for opening a model; the browser host has none. */
  pickModelFile?: () => Promise<string | undefined>
  /** Where the recent-models list lives (default: the user data folder). */
  recentModelsFile?: string
  /** Where the operation builder's history lives (default: the user data folder). */
  operationHistoryFile?: string
  /**
   * Where earlier recipe runs and replays are kept (default: the user data folder; with an explicit profile list,
   * as in tests, only in memory).
   */
  runHistoryFile?: string
}

/** The services behind every host: connections, an event bus, and one handler per contract channel. */
export class Workbench {
  readonly bus = new EventBus()
  readonly connections: ConnectionManager
  readonly models = new ModelRegistry()
  readonly openModels: OpenModels
  readonly operationHistory: OperationHistoryStore
  readonly runHistory: RunHistoryStore
  /** Descriptions the later pages of an operation run reuse; a connection's go when its tables change. */
  readonly tableDescriptions = new TableDescriptionCache()
  /** The tables the visualizer shows, read once and held here (items:load, items:view). */
  readonly itemSnapshots = new ItemSnapshots()
  readonly handlers: Handlers
  readonly version: string
  readonly host: 'desktop' | 'browser'

  constructor(options: WorkbenchOptions) {
    this.version = options.version
    this.host = options.host
    // The app follows the saved profiles file, so what the CLI saves shows up without a restart.
    this.connections = new ConnectionManager(this.bus, options.profiles, { watch: !options.profiles })
    this.openModels = new OpenModels(
      this.models,
      this.bus,
      new RecentModelsStore(options.recentModelsFile),
      options.pickModelFile,
    )
    this.operationHistory = new OperationHistoryStore(options.operationHistoryFile)
    this.runHistory = new RunHistoryStore(options.runHistoryFile ?? (options.profiles ? null : undefined))
    this.handlers = createHandlers(this)
    this.bus.subscribe((name, payload) => {
      if (name === 'tables:changed')
        this.tableDescriptions.forget((payload as { connectionId: string }).connectionId)
    })
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
    this.openModels.dispose()
    closeHandlerRunners()
    await this.connections.dispose()
  }
}
