import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createEngine, startEngineServer } from '../../electron/engine'
import type { ConnectionProfile } from '../../electron/services/connections.service'

export interface AwsLoopback {
  endpoint: string
  /** Talks to the engine directly, with no connection in between: to make tables behind the connection's back. */
  admin: DynamoDBClient
  /** An "aws" connection to the engine, signing with the named profile; extra fields (a color) are merged in. */
  connection(extra?: Partial<ConnectionProfile>): ConnectionProfile
  /** Closes the engine and puts AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE back as they were. */
  stop(): Promise<void>
}

/**
 * AWS without an account: an engine on 127.0.0.1, and a named profile with static keys in temporary config and
 * credentials files (pointed at through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). An "aws" connection whose
 * endpoint override is that engine is treated as AWS by the services (read-only until writes are allowed), and
 * nothing leaves the machine.
 */
export async function startAwsLoopback(options: {
  profile: string
  accountId: string
  region?: string
}): Promise<AwsLoopback> {
  const region = options.region ?? 'eu-west-1'
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-aws-loopback-'))
  const saved = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE }
  writeFileSync(
    path.join(dir, 'credentials'),
    `[${options.profile}]\naws_access_key_id = ${options.profile}Key\naws_secret_access_key = ${options.profile}Secret\n`,
  )
  writeFileSync(path.join(dir, 'config'), `[profile ${options.profile}]\nregion = ${region}\n`)
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config')
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials')
  const server = await startEngineServer(createEngine({ region, accountId: options.accountId }), {
    port: 0,
    host: '127.0.0.1',
  })
  const admin = new DynamoDBClient({
    endpoint: server.endpoint,
    region,
    credentials: { accessKeyId: 'a', secretAccessKey: 'a' },
  })
  return {
    endpoint: server.endpoint,
    admin,
    connection: (extra = {}) => ({
      id: 'prod',
      name: 'Prod',
      kind: 'aws',
      profile: options.profile,
      region,
      endpoint: server.endpoint,
      ...extra,
    }),
    async stop() {
      admin.destroy()
      await server.close()
      const restore = (name: string, value: string | undefined) => {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      restore('AWS_CONFIG_FILE', saved.c)
      restore('AWS_SHARED_CREDENTIALS_FILE', saved.s)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
