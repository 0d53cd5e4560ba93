import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { IndexView, TableDetail } from '../../shared/contract/channels/workbench'
import { summarize } from './tables.service'

type KeyType = 'S' | 'N' | 'B'

/** DescribeTable's answer, shaped for the schema view. */
export function toTableDetail(t: TableDescription): TableDetail {
  const typeOf = (name: string): KeyType =>
    (t.AttributeDefinitions?.find((d) => d.AttributeName === name)?.AttributeType as KeyType | undefined) ??
    'S'
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => {
    const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? ''
    const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName
    return {
      partitionKey: { name: hash, type: typeOf(hash) },
      sortKey: range ? { name: range, type: typeOf(range) } : undefined,
    }
  }
  const projection = (p: { ProjectionType?: string; NonKeyAttributes?: string[] } | undefined) => ({
    type: (p?.ProjectionType ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
    nonKeyAttributes: p?.NonKeyAttributes,
  })
  const indexes: IndexView[] = [
    ...(t.GlobalSecondaryIndexes ?? []).map((g) => ({
      name: g.IndexName ?? '',
      kind: 'GSI' as const,
      ...keys(g.KeySchema),
      projection: projection(g.Projection),
      itemCount: g.ItemCount,
      status: g.IndexStatus,
      provisioned:
        g.ProvisionedThroughput?.ReadCapacityUnits !== undefined
          ? {
              read: g.ProvisionedThroughput.ReadCapacityUnits ?? 0,
              write: g.ProvisionedThroughput.WriteCapacityUnits ?? 0,
            }
          : undefined,
    })),
    ...(t.LocalSecondaryIndexes ?? []).map((l) => ({
      name: l.IndexName ?? '',
      kind: 'LSI' as const,
      ...keys(l.KeySchema),
      projection: projection(l.Projection),
      itemCount: l.ItemCount,
    })),
  ]
  const billingMode =
    t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED'
  return {
    ...summarize(t),
    arn: t.TableArn,
    billingMode,
    provisioned:
      billingMode === 'PROVISIONED' && t.ProvisionedThroughput
        ? {
            read: t.ProvisionedThroughput.ReadCapacityUnits ?? 0,
            write: t.ProvisionedThroughput.WriteCapacityUnits ?? 0,
          }
        : undefined,
    attributeDefinitions: (t.AttributeDefinitions ?? []).map((d) => ({
      name: d.AttributeName ?? '',
      type: (d.AttributeType ?? 'S') as KeyType,
    })),
    indexes,
    stream: {
      enabled: t.StreamSpecification?.StreamEnabled ?? false,
      viewType: t.StreamSpecification?.StreamViewType,
      arn: t.LatestStreamArn,
    },
    createdAt: t.CreationDateTime ? new Date(t.CreationDateTime).toISOString() : undefined,
  }
}
