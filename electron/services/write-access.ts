import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { ConnectionView, WriteAccessPreview } from '../../shared/contract/channels/connections'
import type { ConnectionManager } from './connections.service'
import { toWorkbenchError, WorkbenchError } from './errors'

/** The account id field of an ARN (`arn:partition:service:region:account:resource`). */
export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4]
  return account && /^\d{12}$/.test(account) ? account : undefined
}

/** What the user types back to allow writes: the account (or, unknown, the connection's name) and the region. */
export function expectedConfirmation(account: string | undefined, name: string, region: string): string {
  return `${account ?? name}/${region}`
}

/**
 * Which AWS account and region allowing writes would open, for the typed confirmation. The account comes from
 * STS GetCallerIdentity with the connection's own credentials, which needs no IAM permission
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). STS is not asked behind an
 * endpoint override (it would go to AWS's own endpoint, not the override); then, or when STS fails, the account
 * is read from a table's ARN, if the connection has a table.
 */
export async function writeAccessPreview(
  connections: ConnectionManager,
  id: string,
): Promise<WriteAccessPreview> {
  const profile = connections.profile(id)
  const base = {
    connectionId: id,
    name: profile.name,
    kind: profile.kind,
    region: profile.region,
    color: profile.color,
  }
  if (profile.kind !== 'aws')
    return {
      ...base,
      accountSource: 'none',
      expected: '',
      note: 'Only AWS connections are read-only; this one always takes writes.',
    }
  const client = await connections.client(id)
  let account: string | undefined
  let accountSource: WriteAccessPreview['accountSource'] = 'none'
  const notes: string[] = []
  if (profile.endpoint) {
    notes.push(
      `With the endpoint override ${profile.endpoint}, STS is not asked (it would go to AWS's own endpoint).`,
    )
  } else {
    const sts = new STSClient({
      region: profile.region,
      credentials: connections.credentialProvider(id),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 5000, requestTimeout: 10_000 },
    })
    try {
      account = (await sts.send(new GetCallerIdentityCommand({}))).Account
      if (account) accountSource = 'sts'
    } catch (err) {
      const e = toWorkbenchError(err)
      if (e.code === 'connection.credentials') throw e
      notes.push(`STS GetCallerIdentity failed (${String(e.details?.dynamodbError ?? e.code)}).`)
    } finally {
      sts.destroy()
    }
  }
  if (!account) {
    try {
      const first = (await client.send(new ListTablesCommand({ Limit: 1 }))).TableNames?.[0]
      if (first)
        account = accountFromArn(
          (await client.send(new DescribeTableCommand({ TableName: first }))).Table?.TableArn,
        )
      if (account) {
        accountSource = 'table-arn'
        notes.push(`The account id is read from the ARN of table ${first}.`)
      } else
        notes.push(
          'No table to read the account id from: check the account in the AWS console before you type.',
        )
    } catch (err) {
      notes.push(`Could not read a table's ARN (${toWorkbenchError(err).code}).`)
    }
  }
  return {
    ...base,
    account,
    accountSource,
    note: notes.join(' ') || undefined,
    expected: expectedConfirmation(account, profile.name, profile.region),
  }
}

/**
 * The one place that turns writes on or off for a connection. Going back to read-only always works at once.
 * Allowing writes on AWS needs `confirm` to equal the preview's `expected` text (account and region typed back);
 * otherwise 'confirm.required' carries the preview, so any door (UI, HTTP, CLI) can show what is at stake.
 */
export async function setWriteAccess(
  connections: ConnectionManager,
  id: string,
  allow: boolean,
  confirm: string | undefined,
): Promise<ConnectionView> {
  const profile = connections.profile(id)
  if (!allow || profile.kind !== 'aws') return connections.allowWrites(id, allow)
  const preview = await writeAccessPreview(connections, id)
  if (confirm !== preview.expected)
    throw new WorkbenchError(
      'confirm.required',
      `Allowing writes on ${profile.name} lets this workbench change account ${preview.account ?? '(unknown)'} in ${profile.region}. Type "${preview.expected}" to confirm.`,
      { ...preview },
    )
  return connections.allowWrites(id, true, preview.account)
}
