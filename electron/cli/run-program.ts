import type { Command } from 'commander'
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
    return reportFailure(err)
  }
}

/**
 * Prints a failure (commander prints its own) and returns the exit code. Commander's errors are told apart by their
 * `commander.*` code rather than `instanceof`, so the engine's fast path can report without loading commander.
 */
export function reportFailure(err: unknown): number {
  const code = (err as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && code.startsWith('commander.')) {
    return code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help'
      ? EXIT.ok
      : EXIT.usage
  }
  if (err instanceof CliFailure) {
    console.error(`error: ${err.message}`)
    return err.exitCode
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`)
  return EXIT.failed
}
