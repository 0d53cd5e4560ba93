import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb'

/** Enough for every table a session pages through; the oldest entry goes first. */
const MAX_ENTRIES = 200

/**
 * Table descriptions kept per connection and table, so the later pages of one Query need no DescribeTable of
 * their own (the key names and types cannot change between pages). A run's first page always describes afresh, so
 * a table recreated elsewhere (another app, the AWS console) is seen by the next run; `forget` drops a
 * connection's entries when a table is created, dropped or changed through the services.
 */
export class TableDescriptionCache {
  private readonly entries = new Map<string, TableDescription>()

  async describe(
    client: DynamoDBClient,
    connectionId: string,
    table: string,
    options: { fresh: boolean },
  ): Promise<TableDescription | undefined> {
    const key = `${connectionId}\u0000${table}`
    const kept = options.fresh ? undefined : this.entries.get(key)
    if (kept) return kept
    const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table
    this.entries.delete(key)
    if (described) {
      this.entries.set(key, described)
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    }
    return described
  }

  forget(connectionId: string): void {
    const prefix = `${connectionId}\u0000`
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key)
  }
}
