import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renameModelTable } from '../../shared/domain/model'
import { CRUDDUR_MODEL_FILE, CRUDDUR_TABLE } from '../../seeds/cruddur'
import { loadModelFile } from '../../electron/services/model.service'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(root, 'bin', 'tablewright.js')

export function assertBuilt(): void {
  if (!existsSync(path.join(root, 'out', 'main', 'cli.js')))
    throw new Error('the CLI is not built: run `npm run build` first (npm test does it before this tier)')
}

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  json: () => Record<string, unknown>
}

/** CLI runs never touch the real user data folder (saved connections, stream checkpoints) unless a test says so. */
let userData: string | undefined
const testUserData = () => (userData ??= mkdtempSync(path.join(os.tmpdir(), 'tw-cli-user-')))

/** Runs `node bin/tablewright.js …` to completion. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: root,
      env: { TABLEWRIGHT_USER_DATA: testUserData(), ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout) as Record<string, unknown>
          } catch {
            throw new Error(`stdout is not one JSON document (exit ${code}):\n${stdout}\nstderr:\n${stderr}`)
          }
        },
      }),
    )
  })
}

export interface SpawnedEngine {
  endpoint: string
  child: ChildProcess
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Starts `tablewright engine --port 0 --json` and resolves once it printed its endpoint. */
export function spawnEngine(extraArgs: string[] = []): Promise<SpawnedEngine> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'engine', '--port', '0', '--json', ...extraArgs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => reject(new Error(`engine exited early (${code}): ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const doc = JSON.parse(out) as { endpoint: string }
        resolve({
          endpoint: doc.endpoint,
          child,
          stop: () => {
            child.kill('SIGTERM')
            return exited
          },
        })
      } catch {
        // not the whole document yet
      }
    })
  })
}

/** A temp copy of the Cruddur model (and its items file) whose table has another name, for the shared DynamoDB Local. */
export async function renamedCruddurModel(table: string): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-cli-model-'))
  const model = renameModelTable(await loadModelFile(CRUDDUR_MODEL_FILE), CRUDDUR_TABLE, table)
  const items = JSON.parse(
    readFileSync(path.join(path.dirname(CRUDDUR_MODEL_FILE), 'items.json'), 'utf8'),
  ) as Record<string, unknown>
  writeFileSync(path.join(dir, 'items.json'), JSON.stringify({ [table]: items[CRUDDUR_TABLE] }))
  const file = path.join(dir, 'model.json')
  writeFileSync(
    file,
    JSON.stringify({ ...model, sampleData: { ...model.sampleData, itemsFile: 'items.json' } }),
  )
  return { dir, file }
}
