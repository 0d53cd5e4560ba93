import type { Command } from 'commander'

/** Data commands (schema-load, seed, scan, patterns, streams) are registered here by the services layer. */
export function registerDataCommands(_program: Command): void {}
