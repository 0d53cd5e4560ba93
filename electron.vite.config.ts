import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import { monacoJsonOnly } from './scripts/monaco-json-only'

export default defineConfig({
  main: {
    // The same library, minified by its authors: a third of the text the engine's first chunk compiles at start-up.
    resolve: { alias: [{ find: /^sorted-btree$/, replacement: 'sorted-btree/b+tree.min.js' }] },
    build: {
      outDir: 'out/main',
      // The `engine` command's own entry (cli-engine) must answer within 100 ms of spawning: the small libraries it
      // loads are bundled, so Node resolves and reads a few of our files instead of each package's CommonJS
      // modules. The AWS SDK and the rest stay external; neither the engine nor --version load them.
      externalizeDeps: { exclude: ['commander', 'decimal.js', 'sorted-btree', 'lossless-json'] },
      rollupOptions: {
        // Comments are most of some modules' text (decimal.js); the engine entry's start-up is mostly compiling.
        output: { comments: false },
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          // bin/tablewright.js runs this one for `tablewright engine`: only the engine and its command.
          'cli-engine': resolve(__dirname, 'electron/cli/engine-main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require node_modules: bundle everything into one CommonJS file. It imports only
      // shared/contract/names.ts, so no zod ends up here.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), monacoJsonOnly()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; the browser host serves these same files over HTTP.
      minify: process.env.TW_NO_MINIFY ? false : true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
        output: {
          // Libraries change less often than the app and load in parallel with it. Monaco is not listed: it only
          // loads with the inspector's lazy JSON editor. The virtualizer only loads with the (lazy) visualizer tab.
          codeSplitting: {
            groups: [
              {
                name: 'vendor-react',
                test: /node_modules[\\/](react|react-dom|scheduler|zustand|use-sync-external-store)[\\/]/,
              },
              { name: 'vendor-virtual', test: /node_modules[\\/]@tanstack[\\/]/ },
            ],
          },
        },
      },
    },
  },
})
