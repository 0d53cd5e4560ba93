import { CommanderError, type Command } from 'commander'
import { CliFailure, EXIT } from './output'

/**
 * Parses argv with a built program and turns whatever ends the run into an exit code (commands that keep serving
 * never return). Kept apart from program.ts so the `engine` entry can use it without loading the whole CLI.
 */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv)
    return EXIT.ok
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return EXIT.ok
      }
      return EXIT.usage
    }
    if (err instanceof CliFailure) {
      console.error(`error: ${err.message}`)
      return err.exitCode
    }
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`)
    return EXIT.failed
  }
}
