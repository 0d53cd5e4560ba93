import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Model } from '../../shared/domain/model'
import { WorkbenchError } from './errors'
import { tableSpecFromDescription } from './formats/describe-table'
import { inferEntities, toEntitySpecs, type InferredEntity } from './formats/infer-entities'
import { validateModel } from './model.service'
import { describeTable } from './schema.service'
import { scanTable } from './scan.service'

export interface ReverseEngineerOptions {
  /** How many items to read (the first pages of a Scan); default 500. */
  sampleSize?: number
  /** Keep the sampled items as the model's sample data. */
  withItems?: boolean
  onProgress?: (p: { items: number; sampleSize: number }) => void
}

export interface ReverseEngineerResult {
  model: Model
  sampled: number
  /** True when the table holds more than the sample. */
  truncated: boolean
  entities: InferredEntity[]
}

/**
 * A model from a live table: its definition from DescribeTable, its entities from the key shapes of a sample of
 * items (Scan pages up to `sampleSize`). It only reads (DescribeTable and Scan are both reads), so it works on a
 * read-only connection.
 */
export async function reverseEngineerTable(
  client: DynamoDBClient,
  table: string,
  options: ReverseEngineerOptions = {},
): Promise<ReverseEngineerResult> {
  const sampleSize = options.sampleSize ?? 500
  const description = await describeTable(client, table)
  if (!description)
    throw new WorkbenchError('table.notFound', `no table ${table} at this connection`, { table })
  const spec = tableSpecFromDescription(description, `table ${table}`)
  const scan = await scanTable(client, table, {
    limit: sampleSize,
    pageSize: Math.min(sampleSize, 1000),
    onProgress: (p) => options.onProgress?.({ items: p.items, sampleSize }),
  })
  const entities = inferEntities(spec, scan.items)
  const model = validateModel(
    {
      name: table,
      description: `Reverse-engineered from table ${table}: DescribeTable and ${scan.items.length} sampled item(s)${scan.truncated ? ' (the table holds more)' : ''}.`,
      tables: [spec],
      entities: toEntitySpecs(table, entities),
      ...(options.withItems && scan.items.length ? { sampleData: { items: { [table]: scan.items } } } : {}),
    },
    `table ${table}`,
  )
  return { model, sampled: scan.items.length, truncated: scan.truncated, entities }
}
