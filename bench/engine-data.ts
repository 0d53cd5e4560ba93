/**
 * The engine benchmark's dataset, shared by the benchmark (bench/engine.ts) and its canned-answer server
 * (bench/engine-server.ts), which serves the same items as Scan pages to measure the client's own cost.
 */
export const GROUPS = 500
export const TABLE = 'messages'

export type Msg = { pk: string; sk: string; author: string; body: string; sentAt: number; kind: string }

const WORDS =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(
    ' ',
  )

/** Deterministic chat messages, ~200 B of attributes each; group 0 is the hot group. */
export function message(i: number, groupOf: (i: number) => number): Msg {
  const group = groupOf(i)
  const sentAt = 1_700_000_000_000 + i * 997
  let body = ''
  for (let w = 0; body.length < 110; w++) body += `${WORDS[(i * 7 + w * 13) % WORDS.length]} `
  return {
    pk: `GROUP#${String(group).padStart(3, '0')}`,
    sk: `MSG#${sentAt}#${String(i).padStart(7, '0')}`,
    author: `user-${(i * 31) % 997}`,
    body: body.trim(),
    sentAt,
    kind: i % 10 === 0 ? 'image' : 'text',
  }
}

/** The first `hot` messages go to group 0; the rest spread over groups 1..499. */
export const groupOfFor = (hot: number) => (i: number) => (i < hot ? 0 : 1 + (i % (GROUPS - 1)))

/** A message in DynamoDB's JSON, as the wire carries it. */
export function wireItem(m: Msg): Record<string, Record<string, string>> {
  return {
    pk: { S: m.pk },
    sk: { S: m.sk },
    author: { S: m.author },
    body: { S: m.body },
    sentAt: { N: String(m.sentAt) },
    kind: { S: m.kind },
  }
}
