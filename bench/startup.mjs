// `npm run bench:startup [-- --runs 20]`: how long the CLI takes to start, as medians over N spawns, beside a bare
// `node -e 0` (the floor no Node program can beat). Needs `npm run build` first (it runs bin/tablewright.js).
//   - `--version` and `--help`: spawn until exit.
//   - `engine`: spawn until the first answered request (ListTables over HTTP), the figure issue 11 asks about.
// Runs are sequential so they do not compete with each other for the CPU.
import { spawn } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const bin = path.join(root, 'bin', 'tablewright.js')
const runsArg = process.argv.indexOf('--runs')
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15
// `--against DIR`: also time another built checkout's bin/tablewright.js (say, main before a change), in the same
// rounds, so both see the same load.
const againstArg = process.argv.indexOf('--against')
const other = againstArg > 0 ? path.resolve(process.argv[againstArg + 1], 'bin', 'tablewright.js') : undefined

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function untilExit(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = performance.now() - t0
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve(ms)
    })
  })
}

function listTables(endpoint) {
  return new Promise((resolve, reject) => {
    const body = '{}'
    const req = http.request(
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Spawn → endpoint printed → first ListTables answered. */
function engineFirstAnswer(script = bin) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [script, 'engine', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let stderr = ''
    let asked = false
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (!asked) reject(new Error(`engine exited ${code} before listening: ${stderr}`))
    })
    child.stdout.on('data', (d) => {
      out += d
      if (asked) return
      const end = out.indexOf('}\n')
      if (end < 0) return
      asked = true
      const { endpoint } = JSON.parse(out.slice(0, end + 1))
      listTables(endpoint).then(
        () => {
          const ms = performance.now() - t0
          child.once('exit', () => resolve(ms))
          child.kill('SIGTERM')
        },
        (err) => {
          child.kill('SIGTERM')
          reject(err)
        },
      )
    })
  })
}

// Rounds interleave the cases, so a burst of load from elsewhere on the machine hits every case alike.
const cases = [
  ['node -e 0', () => untilExit(['-e', '0'])],
  ['tablewright --version', () => untilExit([bin, '--version'])],
  ['tablewright --help', () => untilExit([bin, '--help'])],
  ['tablewright engine → first answer', () => engineFirstAnswer()],
  ...(other
    ? [
        ['(--against) --version', () => untilExit([other, '--version'])],
        ['(--against) --help', () => untilExit([other, '--help'])],
        ['(--against) engine → first answer', () => engineFirstAnswer(other)],
      ]
    : []),
]
const times = cases.map(() => [])
for (const [, once] of cases) await once() // warm the file system cache; not counted
for (let i = 0; i < runs; i++) for (const [k, [, once]] of cases.entries()) times[k].push(await once())

const floor = median(times[0])
console.log(`startup, ${runs} runs each (ms: median, min–max, median over node -e 0, × node -e 0)`)
for (const [k, [label]] of cases.entries()) {
  const s = [...times[k]].sort((a, b) => a - b)
  const m = median(s)
  const extra = k === 0 ? '' : `+${(m - floor).toFixed(0)}`.padEnd(7) + `×${(m / floor).toFixed(2)}`
  console.log(
    `${label.padEnd(36)} ${m.toFixed(0).padStart(5)}  ${`${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)}`.padEnd(10)} ${extra}`,
  )
}
