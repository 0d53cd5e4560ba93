// `tablewright send-message`: Cruddur's shortcut over its own recipes, shipped with the model as a command
// module (the CLI knows no sample; it loads this file because model.json lists it under "commands").
//
// With --to and no conversation between the two yet it runs the "start-conversation" recipe (both conversation
// rows and the first message, one TransactWriteItems where the connection has transactions); otherwise the
// "send-message" recipe (pattern C: one PutItem), after which the table's stream handler (pattern D) moves both
// conversation rows to the new message.

export const description =
  'send a message as Cruddur does: pattern C (PutItem), then pattern D through the stream; prints each step'

export const options = [
  { flags: '--from <handle>', description: 'sender, e.g. @andrewbrown', required: true },
  { flags: '--to <handle>', description: 'the other participant (starts a conversation if there is none)' },
  { flags: '--group <uuid>', description: 'an existing conversation' },
  { flags: '--text <text>', description: 'the message', required: true },
  {
    flags: '--at <timestamp>',
    description: 'created_at (default now; an older one simulates a late message)',
  },
  { flags: '--direct', description: 'apply pattern D in-process instead of reading the stream' },
]

// Cruddur keeps its users in Postgres; the messages table only copies uuid, name and handle. These are the
// sample's users; anyone else is found in the conversation rows (generated users too).
const SAMPLE_USERS = [
  { uuid: '8b0a7f8e-2a44-4c4e-9a53-6d1a1f0b6c01', display_name: 'Andrew Brown', handle: 'andrewbrown' },
  { uuid: 'c3d6e1f2-7b58-4e0a-8f1d-2e4b5a6c7d02', display_name: 'Andrew Bayko', handle: 'bayko' },
  { uuid: 'e5f7a9b1-3c5d-4f6e-8a7b-9c0d1e2f3a03', display_name: 'Londo Mollari', handle: 'londo' },
]
const INDEX = 'message-group-sk-index'
const TIMESTAMP_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00'

/** The sample's users plus everyone a conversation row names (the GSI is sparse: it holds only those rows). */
async function knownUsers(api, table) {
  const users = new Map(SAMPLE_USERS.map((u) => [u.uuid, u]))
  for (const row of await api.scan(table, { index: INDEX }))
    if (typeof row.user_uuid === 'string' && typeof row.user_handle === 'string')
      users.set(row.user_uuid, {
        uuid: row.user_uuid,
        handle: row.user_handle,
        display_name: String(row.user_display_name ?? row.user_handle),
      })
  return [...users.values()]
}

function findUser(api, users, handle) {
  const h = String(handle).replace(/^@/, '')
  const u = users.find((x) => x.handle === h)
  if (!u) throw api.fail(`no user @${h}`, { handle: h })
  return u
}

export async function run(opts, api) {
  if (!opts.to === !opts.group) throw api.fail('give exactly one of --to @handle or --group uuid')
  if (!String(opts.text ?? '').trim()) throw api.fail('a message needs some text')
  const table = api.model.recipes.find((r) => r.id === 'send-message').steps[0].table
  const users = await knownUsers(api, table)
  const from = findUser(api, users, opts.from)
  const steps = []

  let groupUuid = opts.group
  let other
  if (!groupUuid) {
    other = findUser(api, users, opts.to)
    if (other.uuid === from.uuid) throw api.fail('a conversation needs two different users')
    // Pattern B over all pages: is there already a conversation with this person?
    const b = await api.runPattern('B', { user_uuid: from.uuid }, { allPages: true })
    steps.push({
      kind: 'lookup',
      detail: `conversations of @${from.handle}`,
      request: b.request,
      items: b.items,
    })
    groupUuid = b.items.find((r) => r.user_uuid === other.uuid)?.message_group_uuid
  } else {
    const d = await api.runPattern('D', { message_group_uuid: groupUuid }, { allPages: true })
    steps.push({
      kind: 'lookup',
      detail: `rows of conversation ${groupUuid}`,
      request: d.request,
      items: d.items,
    })
    if (!d.items.some((r) => r.pk === `GRP#${from.uuid}`))
      throw api.fail(`@${from.handle} is not in conversation ${groupUuid}`, { groupUuid })
  }

  // Checked before writing, so falling back never sends the message twice.
  let mode = opts.direct ? 'direct' : 'stream'
  let note = null
  if (mode === 'stream' && !(await api.hasStream(table))) {
    mode = 'direct'
    note = `no stream on ${table} here: pattern D applied in-process`
  }

  const started = !groupUuid
  const sender = {
    user_uuid: from.uuid,
    user_display_name: from.display_name,
    user_handle: from.handle,
    message: opts.text,
    created_at: opts.at ?? api.now(TIMESTAMP_FORMAT),
  }
  let run
  if (started) {
    run = await api.runRecipe(
      'start-conversation',
      {
        ...sender,
        other_user_uuid: other.uuid,
        other_user_display_name: other.display_name,
        other_user_handle: other.handle,
      },
      { process: mode },
    )
    groupUuid = String(run.params.message_group_uuid)
    const transactional = run.mode === 'transaction'
    steps.push({
      kind: 'start',
      detail: transactional
        ? 'TransactWriteItems: two conversation rows and the first message'
        : 'three PutItems, one by one (this connection has no transactions)',
      request: run.transactRequest ?? run.writes.map((w) => w.request),
      items: run.writes.map((w) => w.after ?? w.write.item),
      transactional,
    })
  } else {
    run = await api.runRecipe('send-message', { ...sender, message_group_uuid: groupUuid }, { process: mode })
    const put = run.writes[0]
    steps.push({ kind: 'put', pattern: 'C', request: put.request, item: put.write.item })
  }
  if (!run.ok) throw api.fail(`${run.failure.code}: ${run.failure.message}`)
  if (run.process === 'stream') steps.push({ kind: 'stream', records: run.records })
  const message = run.writes.find((w) => String(w.write.key.pk).startsWith('MSG#')).write.item

  api.log(
    `${started ? 'Started conversation' : 'Conversation'} ${groupUuid}; pattern D ran via ${run.process === 'stream' ? 'the DynamoDB Streams API' : run.process === 'direct' ? 'in-process (direct)' : 'nothing (not run)'}`,
  )
  if (note) api.log(`note: ${note}`)
  let n = 1
  for (const step of steps) {
    if (step.kind === 'lookup') api.log(`${n++}. lookup: ${step.detail} → ${step.items.length} row(s)`)
    else if (step.kind === 'put')
      api.log(
        `${n++}. pattern C: PutItem ${step.item.pk} ${step.item.sk}\n${JSON.stringify(step.request, null, 2)}`,
      )
    else if (step.kind === 'start') api.log(`${n++}. ${step.detail}: ${step.items.length} item(s)`)
    else api.log(`${n++}. stream: ${step.records.length} record(s) read`)
  }
  api.log(`${n}. pattern D:`)
  for (const e of run.timeline.filter((x) => x.source !== 'recipe'))
    api.log(`  ${e.title}${e.detail ? `: ${e.detail}` : ''}`)

  return {
    mode: run.process,
    note,
    groupUuid,
    startedConversation: started,
    message,
    steps,
    handlerReports: run.handlerReports,
  }
}
