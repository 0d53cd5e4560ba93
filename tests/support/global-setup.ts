import type { TestProject } from 'vitest/node'
import { startDynamoDbLocal } from '../../electron/services/dynamodb-local.launcher'

declare module 'vitest' {
  export interface ProvidedContext {
    ddbLocalEndpoint: string
  }
}

/** Starts one DynamoDB Local 3.3.1 for the whole integration run and hands its endpoint to every test file. */
export default async function setup(project: TestProject) {
  const started = Date.now()
  const local = await startDynamoDbLocal({ timeoutMs: 60_000 })
  console.log(`DynamoDB Local at ${local.endpoint}, ${local.binding} (started in ${Date.now() - started} ms)`)
  project.provide('ddbLocalEndpoint', local.endpoint)
  return async () => {
    await local.stop()
  }
}
