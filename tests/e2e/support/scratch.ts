import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { api } from './api'
import { test } from './fixtures'

/**
 * A temporary folder for the model files a spec writes, made before its tests and removed after them. On the shared
 * browser host the built-in sample is opened again afterwards and `table`, if given and still there, is dropped, so
 * the next spec finds the host as it expects. Call at the top level of a spec; read `.dir` inside tests.
 */
export function scratchModels(prefix: string, table?: string): { dir: string } {
  const scratch = { dir: '' }
  test.beforeAll(() => {
    scratch.dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  })
  test.afterAll(async ({ request, host }) => {
    if (host.kind === 'web') {
      await api(request, host, 'models:open', { modelId: 'cruddur' })
      const tables = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
      if (table && tables.some((t) => t.name === table))
        await api(request, host, 'tables:drop', {
          connectionId: 'embedded',
          tableName: table,
          confirm: table,
        })
    }
    rmSync(scratch.dir, { recursive: true, force: true })
  })
  return scratch
}
