import { formatKeyTemplate } from '../../shared/domain/key-template'
import { addMilliseconds } from '../../shared/domain/timestamp'
import { ANDREW_BAYKO_DIALOGUE } from './dialogue'

/** Cruddur's users (in Cruddur they live in Postgres; the messages table only copies their uuid, name and handle). */
export interface CruddurUser {
  uuid: string
  display_name: string
  handle: string
}

export const CRUDDUR_USERS: readonly CruddurUser[] = [
  { uuid: '8b0a7f8e-2a44-4c4e-9a53-6d1a1f0b6c01', display_name: 'Andrew Brown', handle: 'andrewbrown' },
  { uuid: 'c3d6e1f2-7b58-4e0a-8f1d-2e4b5a6c7d02', display_name: 'Andrew Bayko', handle: 'bayko' },
  { uuid: 'e5f7a9b1-3c5d-4f6e-8a7b-9c0d1e2f3a03', display_name: 'Londo Mollari', handle: 'londo' },
]

export const GROUP_ANDREW_BAYKO = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
export const GROUP_ANDREW_LONDO = '9d3f1c2b-8e4a-4b6d-a0c2-7f5e3d1b9a10'

export const MESSAGE_PK = 'MSG#{message_group_uuid}'
export const CONVERSATION_PK = 'GRP#{owner_user_uuid}'

const LONDO_DIALOGUE: ReadonlyArray<readonly ['a' | 'b', string]> = [
  ['b', 'Mr Brown, I hear your little message board now keeps its secrets in a single table.'],
  ['a', 'It does. One table, two kinds of rows, and an index that only sees the conversations.'],
  ['b', 'How very economical. On Centauri Prime we would have built a palace for each row.'],
  ['a', 'Palaces get expensive at five write units a second.'],
]

export type CruddurItem = Record<string, string>

function user(handle: string): CruddurUser {
  const u = CRUDDUR_USERS.find((x) => x.handle === handle)
  if (!u) throw new Error(`no seed user @${handle}`)
  return u
}

/** A deterministic sequence of microsecond offsets, so timestamps look real but never change between runs. */
function micros(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % 1000
  }
}

export function messageRow(
  groupUuid: string,
  createdAt: string,
  messageUuid: string,
  sender: CruddurUser,
  text: string,
): CruddurItem {
  return {
    pk: String(formatKeyTemplate(MESSAGE_PK, { message_group_uuid: groupUuid })),
    sk: createdAt,
    message_uuid: messageUuid,
    message: text,
    user_uuid: sender.uuid,
    user_display_name: sender.display_name,
    user_handle: sender.handle,
  }
}

export function conversationRow(
  groupUuid: string,
  owner: CruddurUser,
  other: CruddurUser,
  lastAt: string,
  text: string,
): CruddurItem {
  return {
    pk: String(formatKeyTemplate(CONVERSATION_PK, { owner_user_uuid: owner.uuid })),
    sk: lastAt,
    message_group_uuid: groupUuid,
    message: text,
    user_uuid: other.uuid,
    user_display_name: other.display_name,
    user_handle: other.handle,
  }
}

/** Deterministic v4-shaped uuid from a group and an index (seed data only). */
function seedUuid(group: string, i: number): string {
  const hex = (group.replace(/-/g, '').slice(0, 20) + i.toString(16).padStart(12, '0')).slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function conversation(
  groupUuid: string,
  a: CruddurUser,
  b: CruddurUser,
  start: string,
  lines: ReadonlyArray<readonly ['a' | 'b', string]>,
  seed: number,
): CruddurItem[] {
  const jitter = micros(seed)
  const messages = lines.map(([who, text], i) => {
    // One minute apart, with a few hundred microseconds of jitter so the values look like real clock reads.
    const at = addMilliseconds(start, i * 60_000 + jitter())
    return messageRow(groupUuid, at, seedUuid(groupUuid, i), who === 'a' ? a : b, text)
  })
  const last = messages[messages.length - 1]
  if (!last) throw new Error('a seeded conversation needs at least one message')
  return [
    ...messages,
    conversationRow(groupUuid, a, b, last.sk!, last.message!),
    conversationRow(groupUuid, b, a, last.sk!, last.message!),
  ]
}

/** Every seed item of the Cruddur sample, in a stable order. */
export function buildCruddurItems(): CruddurItem[] {
  const andrew = user('andrewbrown')
  return [
    ...conversation(
      GROUP_ANDREW_BAYKO,
      andrew,
      user('bayko'),
      '2026-11-20T14:03:00.118204+00:00',
      ANDREW_BAYKO_DIALOGUE,
      20261120,
    ),
    ...conversation(
      GROUP_ANDREW_LONDO,
      andrew,
      user('londo'),
      '2026-11-18T21:40:00.503911+00:00',
      LONDO_DIALOGUE,
      20261118,
    ),
  ]
}
