import { addMilliseconds } from '../shared/domain/timestamp'
import { conversationRow, messageRow, type CruddurItem, type CruddurUser } from './cruddur/data'

/** mulberry32: a tiny, fast, seedable PRNG, so a seed always gives the same data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Draws indexes 0..n-1 with probability ∝ 1/(i+1)^s: a few conversations get most messages, like real chat. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s))
  const total = weights.reduce((a, b) => a + b, 0)
  const cumulative: number[] = []
  let acc = 0
  for (const w of weights) cumulative.push((acc += w / total))
  return () => {
    const r = random()
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < r) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`
}

const FIRST = [
  'Ada',
  'Boris',
  'Chen',
  'Dara',
  'Emeka',
  'Farah',
  'Goran',
  'Hana',
  'Ines',
  'Jun',
  'Kofi',
  'Lena',
  'Mateo',
  'Noor',
  'Oskar',
  'Priya',
]
const LAST = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Reyes',
  'Byrne',
  'Ivanova',
  'Mensah',
]
const OPENERS = ['Quick one:', 'So,', 'Honestly', 'Heads up:', 'Fun fact:', 'Question:', 'OK,', 'Update:']
const BODIES = [
  'the deploy went out fine',
  'can we move the sync to Thursday',
  'I pushed the fix for the pagination bug',
  'the new index is backfilling',
  'lunch at the usual place',
  'did you see the throttling alarm last night',
  'the demo is recorded, link in the channel',
  'I think the sort key needs a prefix',
  'coffee first, then code review',
  'tests are green on my branch',
]
const CLOSERS = ['', ' :)', ' — thoughts?', ' Thanks!', ' Will check later.', ' No rush.']

export interface GeneratorOptions {
  users: number
  conversations: number
  messages: number
  seed: number
  /** Zipf exponent for messages per conversation (1 = classic Zipf). */
  skew?: number
  /** Cruddur timestamp of the earliest possible message. */
  start?: string
}

export interface GeneratedData {
  users: CruddurUser[]
  groups: { uuid: string; a: CruddurUser; b: CruddurUser }[]
  items: CruddurItem[]
}

/**
 * N users, M conversations between distinct pairs, K messages spread over conversations with a Zipf-like skew,
 * plus the two conversation rows of each conversation that got at least one message. Deterministic for a seed.
 */
export function generateCruddurData(options: GeneratorOptions): GeneratedData {
  const { users: n, conversations: m, messages: k, seed } = options
  if (n < 2) throw new RangeError('generator: at least 2 users')
  const maxPairs = (n * (n - 1)) / 2
  if (m < 1 || m > maxPairs)
    throw new RangeError(`generator: conversations must be 1..${maxPairs} for ${n} users`)
  const random = prng(seed)
  const users: CruddurUser[] = Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length]!
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
    return {
      uuid: uuidFrom(random),
      display_name: `${first} ${last}`,
      handle: `${first}${last}${i}`.toLowerCase(),
    }
  })
  const pairs = new Set<string>()
  const groups: GeneratedData['groups'] = []
  while (groups.length < m) {
    const i = Math.floor(random() * n)
    const j = Math.floor(random() * n)
    if (i === j) continue
    const key = i < j ? `${i}:${j}` : `${j}:${i}`
    if (pairs.has(key)) continue
    pairs.add(key)
    groups.push({ uuid: uuidFrom(random), a: users[i]!, b: users[j]! })
  }
  const pick = zipfSampler(m, options.skew ?? 1.1, random)
  const start = options.start ?? '2026-01-01T00:00:00.000000+00:00'
  const clock = new Map<number, number>() // group index → ms offset of its last message
  const last = new Map<number, CruddurItem>()
  const items: CruddurItem[] = []
  for (let x = 0; x < k; x++) {
    const g = pick()
    const group = groups[g]!
    // Gaps between 1 second and ~3 hours; strictly increasing per conversation so sort keys never collide.
    const at = (clock.get(g) ?? Math.floor(random() * 86_400_000)) + 1000 + Math.floor(random() * 10_800_000)
    clock.set(g, at)
    const sender = random() < 0.5 ? group.a : group.b
    const text = `${OPENERS[Math.floor(random() * OPENERS.length)]} ${BODIES[Math.floor(random() * BODIES.length)]}.${CLOSERS[Math.floor(random() * CLOSERS.length)]}`
    const row = messageRow(group.uuid, addMilliseconds(start, at), uuidFrom(random), sender, text)
    items.push(row)
    last.set(g, row)
  }
  groups.forEach((group, g) => {
    const row = last.get(g)
    if (!row) return
    items.push(conversationRow(group.uuid, group.a, group.b, row.sk!, row.message!))
    items.push(conversationRow(group.uuid, group.b, group.a, row.sk!, row.message!))
  })
  return { users, groups, items }
}
