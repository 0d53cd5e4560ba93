import { createEngine, type Engine, type EngineOptions } from '.'
import { DynamoError } from './types'

/** A small single-table-design table used by the engine's tests: pk/sk, one GSI (gsi1pk/gsi1sk), one LSI (lsk). */
export const SINGLE_TABLE = {
  TableName: 'app',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
    { AttributeName: 'lsk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'lsi1',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'lsk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
}

export async function engineWithTable(options?: EngineOptions): Promise<Engine> {
  const engine = createEngine(options)
  await engine.call('CreateTable', SINGLE_TABLE)
  return engine
}

/** The DynamoError a call rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<DynamoError> {
  try {
    await p
  } catch (err) {
    if (err instanceof DynamoError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}

export const s = (S: string) => ({ S })
export const n = (N: string | number) => ({ N: String(N) })
