// UI benchmark: the visualizer with 10k and 100k items, in Chromium against the browser host.
// Seeds with the Cruddur generator (data:seed), then measures
//   - first paint after the data arrives: from the last items:page response to the next frame (the renderer
//     records it as the performance measure `tw:first-paint`), over several reloads;
//   - frame times while scrolling the virtualized grid (Chromium runs without its frame-rate limit, so a frame
//     takes as long as its work, not a vsync slot).
/* global document, requestAnimationFrame -- the page.evaluate callbacks run in the browser */
// A benchmark, not a test: it prints numbers and asserts nothing. Run: npm run bench:ui [-- --sizes 10000,100000]
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { ensureBuild } from '../scripts/ensure-build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const argSizes = process.argv.indexOf('--sizes')
const SIZES = argSizes > 0 ? process.argv[argSizes + 1].split(',').map(Number) : [10_000, 100_000]
const RELOADS = 5
const SCROLL_FRAMES = 240
/** Pixels per frame: a fast, steady scroll (about 9,000 px/s at 60 Hz), ~5 rows of 28 px. */
const SCROLL_STEP = 150
const TABLE = 'cruddur-messages'

const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => p && existsSync(p),
)

const median = (xs) => quantile(xs, 0.5)
function quantile(xs, q) {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

async function startHost(userDataDir) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tablewright.js'), 'web', '--port', '0'], {
    cwd: root,
    env: { ...process.env, TABLEWRIGHT_USER_DATA: userDataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (m) resolve(m[1])
    })
    child.stderr.on('data', (d) => (output += d.toString()))
    child.once('exit', (code) => reject(new Error(`host exited (${code}):\n${output}`)))
  })
  return { child, url: new URL(url) }
}

function client(url) {
  const token = url.searchParams.get('token')
  return async (channel, input) => {
    const res = await fetch(`${url.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tablewright-token': token },
      body: JSON.stringify(input),
    })
    const body = await res.json()
    if (!body.ok) throw new Error(`${channel}: ${body.code} ${body.message}`)
    return body.value
  }
}

/** Generator parameters giving about `n` items: one message row per message, two conversation rows per conversation. */
function generatorFor(n) {
  const conversations = Math.max(1, Math.round(n / 20))
  return { users: Math.min(10_000, Math.max(2, Math.round(n / 50))), conversations, messages: n - 2 * conversations, seed: 7 }
}

async function seed(call, n) {
  const tables = await call('tables:list', { connectionId: 'embedded' })
  if (tables.some((t) => t.name === TABLE)) await call('tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
  await call('schema:load', { connectionId: 'embedded', modelId: 'cruddur' })
  const started = performance.now()
  const r = await call('data:seed', { connectionId: 'embedded', modelId: 'cruddur', generator: generatorFor(n) })
  return { written: r.written, seedMs: performance.now() - started }
}

async function measure(page) {
  const firstPaint = []
  const loadMs = []
  for (let i = 0; i < RELOADS; i++) {
    const before = await page.evaluate(() => performance.getEntriesByName('tw:first-paint').length)
    const started = Date.now()
    if (i === 0) {
      await page.getByRole('navigation', { name: 'Tables of this connection' }).getByRole('button', { name: new RegExp(TABLE) }).click()
    } else {
      await page.getByRole('grid', { name: 'Items' }).focus()
      await page.keyboard.press('r')
    }
    await page.waitForFunction((n) => performance.getEntriesByName('tw:first-paint').length > n, before, { timeout: 600_000 })
    loadMs.push(Date.now() - started)
    firstPaint.push(await page.evaluate(() => performance.getEntriesByName('tw:first-paint').at(-1).duration))
  }
  const rows = await page.evaluate(() => document.querySelector('[role=grid]').getAttribute('aria-rowcount'))
  // Scroll the grid one step per frame and time each frame; the same loop without scrolling gives the floor
  // (what a frame costs on this machine when nothing changes).
  const frameLoop = ([count, step]) => page.evaluate(async ([count, step]) => {
    const grid = document.querySelector('[role=grid]')
    grid.scrollTop = 0
    const deltas = []
    let last = performance.now()
    await new Promise((resolve) => {
      let n = 0
      const tick = (now) => {
        deltas.push(now - last)
        last = now
        if (++n >= count) return resolve()
        if (step) grid.scrollTop += step
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
    return deltas.slice(1)
  }, [count, step])
  const idle = await frameLoop([60, 0])
  const frames = await frameLoop([SCROLL_FRAMES, SCROLL_STEP])
  return { firstPaint, loadMs, frames, idle, rows: Number(rows) }
}

async function main() {
  if (!chromiumPath) {
    console.log('SKIPPED bench:ui: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)')
    return
  }
  ensureBuild()
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-bench-'))
  const { child, url } = await startHost(userDataDir)
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  })
  const results = []
  try {
    const call = client(url)
    await call('connections:connect', { connectionId: 'embedded' })
    for (const n of SIZES) {
      process.stdout.write(`seeding ~${n.toLocaleString()} items… `)
      const { written, seedMs } = await seed(call, n)
      console.log(`${written.toLocaleString()} written in ${(seedMs / 1000).toFixed(1)} s`)
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const page = await context.newPage()
      await page.goto(url.href)
      await page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status').getByText('connected').waitFor()
      const m = await measure(page)
      results.push({ n: written, ...m })
      await context.close()
    }
  } finally {
    await browser.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(userDataDir, { recursive: true, force: true })
  }

  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—')
  console.log('\nVisualizer (Chromium, browser host, embedded engine); times in ms')
  console.log(
    [
      'items'.padStart(8),
      'rows'.padStart(8),
      'load (median)'.padStart(14),
      'first paint median'.padStart(19),
      'first paint max'.padStart(16),
      'frame median'.padStart(13),
      'frame p95'.padStart(10),
      'frame max'.padStart(10),
      'idle frame'.padStart(10),
      'target'.padStart(24),
    ].join(' │ '),
  )
  for (const r of results) {
    const fp = median(r.firstPaint)
    const p95 = quantile(r.frames, 0.95)
    console.log(
      [
        r.n.toLocaleString().padStart(8),
        r.rows.toLocaleString().padStart(8),
        fmt(median(r.loadMs)).padStart(14),
        fmt(fp).padStart(19),
        fmt(Math.max(...r.firstPaint)).padStart(16),
        fmt(median(r.frames)).padStart(13),
        fmt(p95).padStart(10),
        fmt(Math.max(...r.frames)).padStart(10),
        fmt(median(r.idle)).padStart(10),
        `paint ${fp <= 300 ? 'met' : 'MISSED'}, p95 ${p95 <= 16 ? 'met' : 'MISSED'}`.padStart(24),
      ].join(' │ '),
    )
  }
  console.log(`\n${RELOADS} loads per size (first paint = last page received → next frame); ${SCROLL_FRAMES} scroll frames of ${SCROLL_STEP} px.`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
