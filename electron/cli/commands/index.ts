import type { Command } from 'commander'
import { registerCheckCommands } from './check.commands'
import { registerSeedScanCommands } from './data.commands'
import { registerConnectionsCommand } from './connections.command'
import {
  registerEngineClockCommand,
  registerEngineCommand,
  registerEngineDataCommand,
} from './engine.command'
import { registerMatrixCommand } from './matrix.command'
import { registerModelCommand, registerModelLiveCommands, registerModelsCommand } from './model.command'
import { registerPatternCommands } from './patterns.commands'
import { registerRecipeCommands } from './recipes.commands'
import { registerSuggestCommand } from './suggest.command'
import { registerTableCommands } from './tables.commands'
import { registerDataTransferCommand, registerItemsCommand } from './transfer.command'

/** The data commands (engine, schema, seed, scan, patterns, streams), all over the services layer. */
export function registerDataCommands(program: Command): void {
  registerEngineCommand(program)
  registerEngineClockCommand(program)
  registerEngineDataCommand(program)
  registerTableCommands(program)
  registerSeedScanCommands(program)
  registerPatternCommands(program)
  registerRecipeCommands(program)
  registerSuggestCommand(program)
  registerConnectionsCommand(program)
  registerModelCommand(program)
  registerModelLiveCommands(program)
  registerModelsCommand(program)
  registerDataTransferCommand(program)
  registerItemsCommand(program)
  registerMatrixCommand(program)
  registerCheckCommands(program)
}
