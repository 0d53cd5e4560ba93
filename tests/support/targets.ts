import { inject } from 'vitest'
import { createEngine, startEngineServer } from '../../electron/engine'

/** An endpoint a test file runs against, started in its beforeAll and stopped in its afterAll. */
export interface Target {
  name: string
  start: () => Promise<{ endpoint: string; stop: () => Promise<void> }>
}

/**
 * Every endpoint the service tests run against: DynamoDB Local (the fidelity reference, one shared instance
 * started by global-setup) and our embedded engine (a fresh server per file, over its HTTP door).
 */
export const TARGETS: Target[] = [
  {
    name: 'DynamoDB Local',
    start: async () => ({ endpoint: inject('ddbLocalEndpoint'), stop: async () => {} }),
  },
  {
    name: 'the embedded engine',
    start: async () => {
      const server = await startEngineServer(createEngine(), { port: 0 })
      return { endpoint: server.endpoint, stop: () => server.close() }
    },
  },
]

/** Client options for a local endpoint: any credentials do, the region is fixed. */
export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
})
