// UI benchmark: the visualizer with 10k and 100k items, in Chromium against the browser host.
// Seeds with the Cruddur generator (data:seed), then measures
//   - first paint after the data arrives: from the last answer of a load (the view of the whole table, or for the
//     peer its last items:page) to the next frame (the renderer records it as the performance measure
//     `tw:first-paint`), over several reloads;
//   - frame work while scrolling the virtualized grid with the mouse wheel: the main-thread time each frame takes
//     (see recordFrames for the method), next to the same measure on the idle page.
/* global document, requestAnimationFrame -- the page.evaluate callbacks run in the browser */
// A benchmark, not a test: it prints numbers and asserts nothing.
//   - load: from Reload (R) to the first page on screen (`tw:first-page`) and to every item on screen
//     (`tw:first-paint` of the whole table), for ours (the host holds the items and sends the view's outline and the
//     rows in sight) and for the peer (every item into the page, grouped there), side by side, with the
//     CPU time the host process and the page's main thread spent on it (wall times on a shared machine also count
//     waiting for a core), and the machine's load average.
// Run: npm run bench:ui [-- --sizes 10000,100000] [--reloads N] [--profile (top self-time functions during the scroll)]
//   [--profile-load (the same during the last reload of each loader)]
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { ensureBuild } from '../scripts/ensure-build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const argSizes = process.argv.indexOf('--sizes')
const SIZES = argSizes > 0 ? process.argv[argSizes + 1].split(',').map(Number) : [10_000, 100_000]
const argReloads = process.argv.indexOf('--reloads')
const RELOADS = argReloads > 0 ? Number(process.argv[argReloads + 1]) : 5
/**
 * The visualizer's loaders (renderer/store/workbench.slice.ts): ours (`host`: the host reads the table and builds the
 * view; the page gets the groups and the rows it shows), and the peer (`legacy`: every item into the page in pages of
 * 2,000 and grouped there, as clients that scan a table into the browser do), picked by localStorage.
 */
const LOADERS = ['host', 'legacy']
const PROFILE = process.argv.includes('--profile')
const PROFILE_LOAD = process.argv.includes('--profile-load')
const WHEEL_EVENTS = 240
/** Pixels per wheel event, at 60 events a second: a fast, steady scroll (about 9,000 px/s), ~5 rows of 28 px. */
const WHEEL_STEP = 150
const TABLE = 'cruddur-messages'

const chromiumPath = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((p) => p && existsSync(p))

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
  // Counts by the names of the generated entities in seeds/cruddur/model.json (sampleData.generator).
  return {
    seed: 7,
    counts: {
      users: Math.min(10_000, Math.max(2, Math.round(n / 50))),
      conversations,
      messages: n - 2 * conversations,
    },
  }
}

async function seed(call, n) {
  const tables = await call('tables:list', { connectionId: 'embedded' })
  if (tables.some((t) => t.name === TABLE))
    await call('tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
  await call('schema:load', { connectionId: 'embedded', modelId: 'cruddur' })
  const started = performance.now()
  const r = await call('data:seed', {
    connectionId: 'embedded',
    modelId: 'cruddur',
    generator: generatorFor(n),
  })
  return { written: r.written, seedMs: performance.now() - started }
}

/**
 * CPU time (ms) the host process has used so far, from /proc (Linux; NaN elsewhere). Wall times on a shared machine
 * count the time every process waits for a core; CPU times say how much work a load is.
 */
function hostCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return NaN
  }
}
const CLOCK_TICKS = 100

async function measure(page, hostPid, { withScroll = true } = {}) {
  const firstPaint = []
  const loadMs = []
  const firstPageMs = []
  const hostCpu = []
  const rendererCpu = []
  const loadCdp = await page.context().newCDPSession(page)
  await loadCdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  let loadHot
  for (let i = 0; i < RELOADS; i++) {
    // The last reload of each loader, profiled when asked: where the page's main thread spends a load.
    const loadProfile = PROFILE_LOAD && i === RELOADS - 1 ? await startProfile(page) : undefined
    const before = await page.evaluate(() => performance.getEntriesByName('tw:first-paint').length)
    const cpuBefore = { host: hostCpuMs(hostPid), renderer: (await metrics(loadCdp)).cpu }
    const started = Date.now()
    if (i === 0) {
      await page
        .getByRole('navigation', { name: 'Tables of this connection' })
        .getByRole('button', { name: new RegExp(TABLE) })
        .click()
    } else {
      await page.getByRole('grid', { name: 'Items' }).focus()
      await page.keyboard.press('r')
    }
    await page.waitForFunction((n) => performance.getEntriesByName('tw:first-paint').length > n, before, {
      timeout: 600_000,
    })
    loadMs.push(Date.now() - started)
    if (loadProfile) loadHot = await loadProfile.stop()
    hostCpu.push(hostCpuMs(hostPid) - cpuBefore.host)
    rendererCpu.push(((await metrics(loadCdp)).cpu - cpuBefore.renderer) * 1000)
    firstPaint.push(await page.evaluate(() => performance.getEntriesByName('tw:first-paint').at(-1).duration))
    firstPageMs.push(
      await page.evaluate(() => performance.getEntriesByName('tw:first-page').at(-1)?.duration),
    )
  }
  await loadCdp.detach()
  if (!withScroll) return { firstPaint, loadMs, firstPageMs, hostCpu, rendererCpu, loadHot }
  const rows = await page.evaluate(() => document.querySelector('[role=grid]').getAttribute('aria-rowcount'))
  const grid = page.getByRole('grid', { name: 'Items' })
  await grid.evaluate((el) => (el.scrollTop = 0))
  const box = await grid.boundingBox()
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  const idle = await recordFrames(page, async () => {
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)))
  })
  const profile = PROFILE ? await startProfile(page) : undefined
  const before = await metrics(cdp)
  const scroll = await recordFrames(page, async () => {
    // A person spinning a wheel or swiping a trackpad: fixed steps at about 60 events a second.
    const started = performance.now()
    for (let i = 0; i < WHEEL_EVENTS; i++) {
      await page.mouse.wheel(0, WHEEL_STEP)
      const wait = started + ((i + 1) * 1000) / 60 - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  })
  const after = await metrics(cdp)
  const hot = profile ? await profile.stop() : undefined
  const scrolled = scroll.frames.filter((f) => f.scrolled)
  const frames = scrolled.map((f) => f.cpu)
  // Main-thread CPU time over the whole scroll, per frame: unlike the wall-clock frame times it does not count the
  // time the thread waits for a core (this machine's cores are shared), and it splits the work by kind.
  const perFrame = Object.fromEntries(
    Object.keys(after).map((k) => [k, ((after[k] - before[k]) * 1000) / scroll.frames.length]),
  )
  return {
    firstPaint,
    loadMs,
    firstPageMs,
    hostCpu,
    rendererCpu,
    frames,
    wall: scrolled.map((f) => f.wall),
    pendingFrames: scrolled.filter((f) => f.pending).length,
    idle: idle.frames.map((f) => f.cpu),
    idleWall: idle.frames.map((f) => f.wall),
    rafP95: quantile(scroll.intervals, 0.95),
    perFrame,
    scrolledPx: scroll.scrollTop,
    rows: Number(rows),
    hot,
    loadHot,
  }
}

/**
 * Frame time = main-thread work the page does for one frame, not the interval between frames.
 *
 * The old measure (requestAnimationFrame deltas) reads the vsync interval: headless Chromium keeps its 60 Hz
 * begin-frame clock even with --disable-gpu-vsync --disable-frame-rate-limit, so an idle page measured 16.7 ms and
 * one frame that missed its slot by 1 ms counted as 33 ms. Here each frame starts at its first main-thread event
 * (the `scroll` event, which Chromium dispatches in the frame's rendering steps before the rAF callbacks, caught in
 * the capture phase ahead of the virtualizer's listener; or the rAF callback when nothing scrolled) and ends when a
 * message posted from the rAF callback is delivered: that task runs only after the frame's style, layout and paint
 * (and after any React work scheduled earlier in the frame, as MessageChannel tasks run in order). It leaves out
 * raster and compositing, which run on other threads.
 *
 * That window is wall-clock time, so it also counts time the main thread is not working: waiting for a core (this
 * machine's two cores are shared) and blocking on the compositor thread during commit. So each frame is also
 * given its CPU time: a trace of the renderer's main thread (category `toplevel`) records every task with its
 * thread time (`tdur`), and the tasks that overlap the frame's window are summed. The CPU figure is the frame
 * time the target applies to; the wall figure is printed beside it.
 */
async function recordFrames(page, drive) {
  const browser = page.context().browser()
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] })
  const syncAt = await page.evaluate(() => {
    const rec = { frames: [], intervals: [], stopped: false }
    let t0
    let scrolled = false
    let lastRaf
    const onScroll = () => {
      t0 ??= performance.now()
      scrolled = true
    }
    document.addEventListener('scroll', onScroll, { capture: true, passive: true })
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      // A row the host has not sent yet shows as a placeholder (aria-busy) until its window arrives.
      const pending = document.querySelector('[role=grid] [role=row][aria-busy=true]') !== null
      rec.frames.push({ t0, t1: performance.now(), scrolled, pending })
      t0 = undefined
      scrolled = false
    }
    const tick = (now) => {
      if (rec.stopped) return document.removeEventListener('scroll', onScroll, { capture: true })
      t0 ??= performance.now()
      if (lastRaf !== undefined) rec.intervals.push(now - lastRaf)
      lastRaf = now
      channel.port2.postMessage(0)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    globalThis.__twFrames = rec
    return performance.mark('tw-sync').startTime
  })
  await drive()
  // Let a smooth-scroll animation still running from the last wheel event finish inside the window.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const grid = document.querySelector('[role=grid]')
        let last = grid.scrollTop
        let still = 0
        const check = () => {
          still = grid.scrollTop === last ? still + 1 : 0
          last = grid.scrollTop
          if (still >= 10) resolve()
          else requestAnimationFrame(check)
        }
        requestAnimationFrame(check)
      }),
  )
  const rec = await page.evaluate(() => {
    const rec = globalThis.__twFrames
    rec.stopped = true
    return {
      frames: rec.frames.slice(1),
      intervals: rec.intervals.slice(1),
      scrollTop: document.querySelector('[role=grid]').scrollTop,
    }
  })
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents
  // The mark is stamped on both clocks: its trace timestamp (µs) and its performance.now() time line them up.
  const sync = events.find((e) => e.name === 'tw-sync')
  const offset = sync.ts / 1000 - syncAt
  const tasks = events
    .filter(
      (e) =>
        e.pid === sync.pid &&
        e.tid === sync.tid &&
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.tdur !== undefined,
    )
    .map((e) => ({ start: e.ts / 1000 - offset, end: (e.ts + e.dur) / 1000 - offset, cpu: e.tdur / 1000 }))
    .sort((a, b) => a.start - b.start)
    // A nested run loop reports tasks inside a task: count the outer one only.
    .filter(
      (t, i, all) => !all.slice(Math.max(0, i - 50), i).some((o) => o.start <= t.start && o.end >= t.end),
    )
  const frames = rec.frames.map((f) => ({
    scrolled: f.scrolled,
    pending: f.pending,
    wall: f.t1 - f.t0,
    cpu: tasks.reduce((sum, t) => (t.end > f.t0 && t.start < f.t1 ? sum + t.cpu : sum), 0),
  }))
  return { ...rec, frames }
}

/** Chromium's cumulative main-thread counters (seconds): thread CPU time, and time in script, style and layout. */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  const pick = (name) => list.find((m) => m.name === name)?.value ?? NaN
  return {
    cpu: pick('ThreadTime'),
    script: pick('ScriptDuration'),
    style: pick('RecalcStyleDuration'),
    layout: pick('LayoutDuration'),
    task: pick('TaskDuration'),
  }
}

/** --profile: a sampled CPU profile of the scroll, summarised as the functions with the most self time. */
async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop')
      const self = new Map()
      const byId = new Map(profile.nodes.map((n) => [n.id, n]))
      profile.samples.forEach((id, i) => {
        const f = byId.get(id).callFrame
        const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
        self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
      })
      await cdp.detach()
      return [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)
    },
  }
}

async function main() {
  if (!chromiumPath) {
    console.log('SKIPPED bench:ui: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)')
    return
  }
  ensureBuild()
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-bench-'))
  const { child, url } = await startHost(userDataDir)
  // Kept from the rAF-interval measure: they lift the frame-rate cap where Chromium honours them (headed, GPU);
  // the frame-work measure below does not depend on them.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  })
  const results = []
  const loads = []
  const loadAverage = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')
  const loadAtStart = loadAverage()
  try {
    const call = client(url)
    await call('connections:connect', { connectionId: 'embedded' })
    for (const n of SIZES) {
      process.stdout.write(`seeding ~${n.toLocaleString()} items… `)
      const { written, seedMs } = await seed(call, n)
      console.log(`${written.toLocaleString()} written in ${(seedMs / 1000).toFixed(1)} s`)
      for (const loader of LOADERS) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
        await context.addInitScript(
          (l) => globalThis.localStorage.setItem('tablewright.itemsLoad', l),
          loader,
        )
        const page = await context.newPage()
        await page.goto(url.href)
        await page
          .getByRole('region', { name: 'Connection overview' })
          .getByLabel('connection status')
          .getByText('connected')
          .waitFor()
        // The scroll does not depend on the loader: it is measured once, with ours.
        const m = await measure(page, child.pid, { withScroll: loader === 'host' })
        if (loader === 'host') results.push({ n: written, ...m })
        loads.push({ n: written, loader, ...m })
        await context.close()
      }
    }
  } finally {
    await browser.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(userDataDir, { recursive: true, force: true })
  }

  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—')
  console.log(
    `\nLoad average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAverage()} (${os.cpus().length} cores)`,
  )
  console.log('\nVisualizer (Chromium, browser host, embedded engine); times in ms')
  const cols = [
    ['items', 8],
    ['rows', 8],
    ['load (median)', 13],
    ['first paint median', 18],
    ['first paint max', 15],
    ['scroll frames', 13],
    ['with rows pending', 17],
    ['frame CPU median', 16],
    ['frame CPU p95', 13],
    ['frame CPU max', 13],
    ['idle CPU p95', 12],
    ['frame wall median', 17],
    ['frame wall p95', 14],
    ['idle wall p95', 13],
    ['rAF interval p95', 16],
    ['target', 24],
  ]
  console.log(cols.map(([h, w]) => h.padStart(w)).join(' │ '))
  for (const r of results) {
    const fp = median(r.firstPaint)
    const p95 = quantile(r.frames, 0.95)
    const cells = [
      r.n.toLocaleString(),
      r.rows.toLocaleString(),
      fmt(median(r.loadMs)),
      fmt(fp),
      fmt(Math.max(...r.firstPaint)),
      String(r.frames.length),
      String(r.pendingFrames),
      fmt(median(r.frames)),
      fmt(p95),
      fmt(Math.max(...r.frames)),
      fmt(quantile(r.idle, 0.95)),
      fmt(median(r.wall)),
      fmt(quantile(r.wall, 0.95)),
      fmt(quantile(r.idleWall, 0.95)),
      fmt(r.rafP95),
      `paint ${fp <= 300 ? 'met' : 'MISSED'}, p95 ${p95 <= 16 ? 'met' : 'MISSED'}`,
    ]
    console.log(cells.map((c, i) => c.padStart(cols[i][1])).join(' │ '))
  }
  console.log(`
${RELOADS} loads per size (first paint = last page received → next frame).
Scroll: ${WHEEL_EVENTS} mouse-wheel events of ${WHEEL_STEP} px over the grid at 60/s (page.mouse.wheel); "scroll frames" =
frames that handled a scroll event; "with rows pending" = those that showed a row whose window the host had not
sent yet (a placeholder row). A frame's window runs from its first event (the scroll event, or the rAF
callback) to a MessageChannel message posted in the rAF callback, which runs after that frame's style, layout and
paint. "wall" = that window's length; "CPU" = main-thread thread time of the tasks in it (Chromium trace, toplevel
RunTask tdur), the main-thread time spent producing the frame; the p95 target applies to CPU. "idle" = the same
measures with nothing scrolling. "rAF interval" = the old measure (vsync-bound, ≥ 16.7 ms in headless Chromium).`)
  console.log('\nLoad after Reload (median of the loads, ms): ours (host) beside the peer (legacy)')
  console.log(
    [
      'items',
      'loader',
      'first page shown',
      'all items shown',
      'host CPU',
      'renderer CPU',
      'target (all ≤ 1000)',
    ]
      .map((h) => h.padStart(16))
      .join(' │ '),
  )
  for (const l of loads) {
    const all = median(l.loadMs)
    console.log(
      [
        l.n.toLocaleString(),
        l.loader,
        fmt(median(l.firstPageMs)),
        fmt(all),
        fmt(median(l.hostCpu)),
        fmt(median(l.rendererCpu)),
        all <= 1000 ? 'met' : 'MISSED',
      ]
        .map((c) => String(c).padStart(16))
        .join(' │ '),
    )
  }
  console.log(
    "host CPU = the browser host process (engine, services, HTTP) over a load; renderer CPU = the page's main thread\n" +
      '"all items shown" = the grid showing the whole table: its partitions, counts and the rows in sight. Ours moves\n' +
      "the view's outline (about 1.3 MB for 100k items in 6,500 partitions) and windows of rows as they scroll into\n" +
      'sight; the peer moves every item (about 36 MB of DynamoDB JSON for 100k items).',
  )
  console.log(
    '\nMain thread per frame over the scroll window (mean of all its frames, ms; CDP Performance.getMetrics, thread time):',
  )
  for (const r of results) {
    const f = r.perFrame
    console.log(
      `${r.n.toLocaleString().padStart(8)} items: CPU ${fmt(f.cpu)} (script ${fmt(f.script)}, style ${fmt(f.style)}, layout ${fmt(f.layout)}); tasks ${fmt(f.task)} wall`,
    )
  }
  for (const l of loads) {
    if (!l.loadHot) continue
    console.log(
      `\nTop self time on the page's main thread during one load, ${l.loader} loader (ms, sampled):`,
    )
    for (const [name, ms] of l.loadHot) console.log(`${ms.toFixed(1).padStart(8)}  ${name}`)
  }
  for (const r of results) {
    if (!r.hot) continue
    console.log(`\nTop self time while scrolling ${r.n.toLocaleString()} items (ms, sampled):`)
    for (const [name, ms] of r.hot) console.log(`${ms.toFixed(1).padStart(8)}  ${name}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
