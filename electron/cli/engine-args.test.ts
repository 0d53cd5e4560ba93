import { Command } from 'commander'
import { describe, expect, test } from 'vitest'
import { registerEngineCommand } from './commands/engine.command'
import { fastEngineArgs } from './engine-args'

/** What commander makes of the same arguments, with the engine's action replaced by a capture. */
async function viaCommander(args: string[]): Promise<Record<string, unknown>> {
  const program = new Command().exitOverride()
  registerEngineCommand(program)
  let captured: Record<string, unknown> = {}
  program.commands
    .find((c) => c.name() === 'engine')!
    .action((opts: Record<string, unknown>) => {
      captured = opts
    })
  await program.parseAsync(['node', 'tablewright', 'engine', ...args])
  return captured
}

describe('the engine entry reads plain arguments as commander does', () => {
  test.each([
    [[]],
    [['--port', '0', '--json']],
    [['-p', '9000', '--host', '0.0.0.0']],
    [['--port=8001', '--region', 'eu-west-1', '--clock-frozen']],
    [
      [
        '--clock-start',
        '2026-01-01T00:00:00Z',
        '--ttl-sweep',
        '0',
        '--ttl-transition',
        '0',
        '--data-dir',
        'data',
      ],
    ],
    [['--in-memory', '--port', '1', '--port', '2']],
  ])('%j', async (args) => {
    const fast = fastEngineArgs(args)
    expect(fast).toBeDefined()
    expect(fast).toEqual(await viaCommander(args))
  })
})

test.each([
  [['--help']],
  [['-h']],
  [['--version']],
  [['--prot', '1']],
  [['--port']],
  [['--port', '70000']],
  [['--json=yes']],
  [['extra']],
])('%j is left to commander (help, version or an error with its usual wording)', (args) => {
  expect(fastEngineArgs(args)).toBeUndefined()
})
