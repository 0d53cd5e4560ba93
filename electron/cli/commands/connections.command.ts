import { Option, type Command } from 'commander'
import { ConnectionProfileInput } from '../../../shared/contract/channels/connections'
import { listAwsProfiles } from '../../services/aws-credentials'
import { ConnectionManager } from '../../services/connections.service'
import { WorkbenchError } from '../../services/errors'
import { EventBus } from '../../services/event-bus'
import { ProfilesStore } from '../../services/profiles.store'
import { CliFailure, EXIT, printJson, printTable } from '../output'
import { run, warnIfNoAwsProfile } from './context'

interface SaveOptions {
  id?: string
  name: string
  kind: string
  endpoint?: string
  region?: string
  profile?: string
  accessKeyId?: string
  color?: string
  json?: boolean
}

/** `tablewright connections`: the saved profiles the app and `--connection` share. */
export function registerConnectionsCommand(program: Command): void {
  const connections = program
    .command('connections')
    .description('saved connection profiles (shared with the app; never secret keys)')
  const manager = () => {
    const store = new ProfilesStore()
    const m = new ConnectionManager(new EventBus(), undefined, { store })
    return { m, store }
  }

  connections
    .command('list', { isDefault: true })
    .description('list the connections (built-in and saved)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await run(opts.json, async () => {
        const { m, store } = manager()
        if (m.profilesError) throw m.profilesError
        const list = m.list()
        if (opts.json) {
          printJson({ ok: true, file: store.file, connections: list })
          return
        }
        printTable(
          list.map((c) => ({
            id: c.id,
            name: c.name,
            kind: c.kind,
            endpoint: c.endpoint ?? '',
            region: c.region,
            profile: c.profile ?? '',
          })),
        )
        console.log(`\nsaved in ${store.file}`)
      })
    })

  connections
    .command('save')
    .description('add or update a saved connection')
    .requiredOption('--name <name>', 'display name (also accepted by --connection)')
    .addOption(
      new Option('--kind <kind>', 'kind').choices(['dynamodb-local', 'aws', 'custom']).makeOptionMandatory(),
    )
    .option('--id <id>', 'update the connection with this id')
    .option(
      '--endpoint <url>',
      'endpoint URL (dynamodb-local; required for custom, e.g. Alternator or LocalStack), or an endpoint override (aws)',
    )
    .option('--region <region>', 'region (default us-east-1)')
    .option('--profile <name>', 'AWS named profile (aws; optional for custom, to sign requests)')
    .option('--access-key-id <id>', 'access key id for DynamoDB Local')
    .option('--color <hex>', 'colour tag, e.g. #22c55e')
    .option('--json', 'print JSON')
    .action(async (opts: SaveOptions) => {
      await run(opts.json, async () => {
        const { json, ...fields } = opts
        const parsed = ConnectionProfileInput.safeParse(
          Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
        )
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          throw new CliFailure(
            `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`,
            EXIT.usage,
            'input.invalid',
          )
        }
        if (parsed.data.kind !== 'dynamodb-local' && parsed.data.profile)
          await warnIfNoAwsProfile(parsed.data.profile)
        const { m, store } = manager()
        const view = await m.save(parsed.data)
        if (json) printJson({ ok: true, file: store.file, connection: view })
        else console.log(`saved connection "${view.name}" (id ${view.id}) in ${store.file}`)
      })
    })

  connections
    .command('remove')
    .description('remove a saved connection')
    .argument('<id>', 'connection id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await run(opts.json, async () => {
        const removed = await manager().m.remove(id)
        if (!removed) throw new WorkbenchError('connection.notFound', `no saved connection with id "${id}"`)
        if (opts.json) printJson({ ok: true, removed })
        else console.log(`removed connection ${id}`)
      })
    })

  connections
    .command('aws-profiles')
    .description('named profiles in the AWS shared config and credentials files (names and regions only)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await run(opts.json, async () => {
        const profiles = await listAwsProfiles()
        if (opts.json) printJson({ ok: true, profiles })
        else if (profiles.length === 0)
          console.log('no named profiles in the AWS config or credentials files')
        else printTable(profiles.map((p) => ({ name: p.name, region: p.region ?? '' })))
      })
    })
}
