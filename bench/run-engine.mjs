// `npm run bench:engine [-- --quick]`: bundles bench/engine.ts (and its child-process server) with Vite's SSR
// build into plain ESM, then runs it on Node. Node 20 cannot run TypeScript itself and vite-node is not installed;
// a one-off bundle keeps transform work out of the timings and lets the servers run as ordinary child processes.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const outDir = path.join(root, 'node_modules', '.cache', 'tablewright-bench')

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: {
        engine: path.join(root, 'bench', 'engine.ts'),
        'engine-server': path.join(root, 'bench', 'engine-server.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
})

// --no-warnings: the AWS SDK's Node-version notice would otherwise land in the middle of the table.
const child = spawn(
  process.execPath,
  ['--expose-gc', '--no-warnings', path.join(outDir, 'engine.mjs'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, TABLEWRIGHT_BENCH_DIR: outDir },
  },
)
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
