import type { Locator, Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import { api, ensureCruddur, escapeRegExp, scanAll } from './support/api'
import { expect, test } from './support/fixtures'
import { openRecipe, recipeParam } from './support/ui'

// One host per worker: the specs share its embedded engine, so they run in order and each one makes sure the
// Cruddur sample is there (the first loads it through the UI, as a new user would).
test.describe.configure({ mode: 'serial' })

const TABLE = 'cruddur-messages'
const GSI = 'message-group-sk-index'

async function openVisualizer(page: Page): Promise<Locator> {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', {
    timeout: 60_000,
  })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(TABLE) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid).toBeVisible()
  return grid
}

const texts = async (items: Locator) => (await items.allTextContents()).map((t) => t.trim())

/**
 * Replaces the editor's text by pasting, as a person would: typed text would go through Monaco's auto-closing and
 * auto-indent, which rewrite what is typed.
 */
async function replaceEditorText(page: Page, editor: Locator, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  // Runs in the page; this file is typechecked without DOM types.
  await page.evaluate(
    (t) =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
      ).navigator.clipboard.writeText(t),
    text,
  )
  await editor.focus()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('ControlOrMeta+V')
}

/** The text of the n-th cell of each row (rows without that cell, like header rows, are skipped). */
async function column(rows: Locator, n: number): Promise<string[]> {
  const out: string[] = []
  for (const row of await rows.all()) {
    const cells = row.getByRole('cell').or(row.getByRole('gridcell')) // pattern tables have cells, the visualizer grid gridcells
    if ((await cells.count()) > n) out.push(((await cells.nth(n).textContent()) ?? '').trim())
  }
  return out
}

test('a new user loads the Cruddur sample and sees its partitions, then the GSI view with the excluded rows', async ({
  page,
  request,
  host,
}) => {
  // Start from a connection without the sample, whatever ran before in this worker.
  const tables = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
  if (tables.some((t) => t.name === TABLE))
    await api(request, host, 'tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
  await page.goto(host.url!) // the app drops the token from the address bar, so open the URL again
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  await overview.getByRole('button', { name: 'Load the Cruddur sample' }).click()

  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('tab', { name: 'Visualizer' })).toHaveAttribute('aria-selected', 'true')
  const summary = page.getByRole('status', { name: 'View summary' })
  await expect(summary).toHaveText(/^\d+ items in \d+ partitions/)

  // Partition headers span their items: GRP# (conversation rows) and MSG# (message rows), each with its size.
  const headers = grid.getByRole('rowheader')
  await expect(headers.filter({ hasText: /^GRP#/ }).first()).toBeVisible()
  await expect(headers.filter({ hasText: /^MSG#/ }).first()).toBeVisible()
  await expect(headers.first()).toHaveText(/\d+ items? · [\d.]+ (B|KB)/)
  await expect(grid.getByRole('row', { name: /^Conversation/ }).first()).toBeVisible()
  await expect(grid.getByRole('row', { name: /^Message/ }).first()).toBeVisible()

  // Within a partition the rows follow the sort key (the rows on screen are all in the first MSG# partition).
  const messageSks = await column(grid.getByRole('row', { name: /^Message/ }), 1)
  expect(messageSks.length).toBeGreaterThan(3)
  expect([...messageSks].sort()).toEqual(messageSks)
  await page.screenshot({ path: test.info().outputPath('visualizer.png') })

  // The GSI holds only conversation rows; message rows have no message_group_uuid.
  await page.getByRole('combobox', { name: 'View' }).selectOption(GSI)
  const gsiGrid = page.getByRole('grid', { name: `Items in ${GSI}` })
  await expect(gsiGrid).toBeVisible()
  await expect(summary).toHaveText(new RegExp(`\\d+ items not in ${GSI}`))
  await expect(gsiGrid.getByRole('row', { name: /^Conversation/ }).first()).toBeVisible()
  await expect(gsiGrid.getByRole('row', { name: /^Message/ })).toHaveCount(0)

  await page.getByRole('checkbox', { name: 'Show items not in the index' }).check()
  // The reason is stated once, on the group; each row shows the keys of its item.
  await expect(gsiGrid.getByRole('rowheader', { name: /Not in this index/ })).toContainText(
    `no message_group_uuid: not in ${GSI}`,
  )
  const excluded = gsiGrid.getByRole('row', { name: /^Message/ }).first()
  await excluded.scrollIntoViewIfNeeded()
  await expect(excluded.getByRole('gridcell').nth(1)).toHaveText(/^MSG#/)
  await expect(excluded).not.toContainText('not in')
  await page.screenshot({ path: test.info().outputPath('gsi-view.png') })
})

test('runs pattern A (newest page shown oldest first) and pattern B (inbox, newest first)', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openVisualizer(page)
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  const patterns = page.getByRole('navigation', { name: 'Patterns' })

  await patterns.getByRole('button', { name: /^A Messages of one conversation/ }).click()
  await page.getByRole('button', { name: 'Run pattern A' }).click()
  const resultA = page.getByRole('region', { name: 'Result of pattern A' })
  await expect(resultA.getByLabel('Served by')).toHaveText('Query')
  const rowsA = resultA.getByRole('table', { name: 'Pattern A items' }).getByRole('row')
  await expect(rowsA.nth(1)).toBeVisible()
  const skA = await column(rowsA, 2)
  expect(skA.length).toBeGreaterThan(1)
  expect(skA.length).toBeLessThanOrEqual(20)
  expect([...skA].sort()).toEqual(skA) // fetched newest first, presented oldest → newest
  const expectationsA = await texts(resultA.getByRole('list', { name: 'Expectations' }).getByRole('listitem'))
  expect(expectationsA.length).toBeGreaterThan(0)
  for (const e of expectationsA) expect(e).toMatch(/^✓ held/)
  await expect(resultA.getByLabel('Consumed capacity')).toHaveText(/Capacity: .*\d/)
  await expect(resultA.getByLabel('Request', { exact: true })).toContainText('KeyConditionExpression')
  await resultA.getByRole('tab', { name: 'Python (boto3)' }).click()
  await expect(resultA.getByRole('tabpanel')).toContainText('boto3')
  await resultA.getByRole('tab', { name: 'AWS CLI' }).click()
  await expect(resultA.getByRole('tabpanel')).toContainText('aws dynamodb query')
  await page.screenshot({ path: test.info().outputPath('pattern-a.png') })

  await patterns.getByRole('button', { name: /^B A user's conversations/ }).click()
  await page
    .getByRole('form', { name: 'Pattern B parameters' })
    .getByLabel(/user_uuid/)
    .press('Control+Enter')
  const resultB = page.getByRole('region', { name: 'Result of pattern B' })
  await expect(resultB.getByLabel('Served by')).toHaveText('Query')
  const rowsB = resultB.getByRole('table', { name: 'Pattern B items' }).getByRole('row')
  await expect(rowsB.nth(1)).toBeVisible()
  const pkB = await column(rowsB, 1)
  expect(new Set(pkB).size).toBe(1)
  expect(pkB[0]).toMatch(/^GRP#/)
  const skB = await column(rowsB, 2)
  expect([...skB].sort().reverse()).toEqual(skB) // most recently active first
  for (const e of await texts(resultB.getByRole('list', { name: 'Expectations' }).getByRole('listitem')))
    expect(e).toMatch(/^✓ held/)

  // The result is highlighted in the visualizer.
  await resultB.getByRole('button', { name: 'Show in visualizer' }).click()
  await expect(page.getByText(/Highlighted: Pattern B: \d+ items/)).toBeVisible()
  await expect(
    page
      .getByRole('grid', { name: 'Items' })
      .getByRole('row', { name: /^Conversation result/ })
      .first(),
  ).toBeVisible()
})

/** Every step's title, once the whole timeline is shown. */
async function allStepTitles(timeline: Locator): Promise<string[]> {
  const show = timeline.getByRole('button', { name: 'Show all steps' })
  if (await show.isEnabled()) await show.click()
  return texts(timeline.getByRole('list', { name: 'Steps' }).getByRole('heading', { level: 3 }))
}

test('running the send-message recipe moves both conversation rows to it, step by step', async ({
  page,
  request,
  host,
}) => {
  // Three runs, a reload and the history: more than the default minute on a loaded machine.
  test.setTimeout(180_000)
  await ensureCruddur(request, host)
  await openVisualizer(page)
  const form = await openRecipe(page, 'Send a message', 'send-message')
  // Defaults are prefilled: the sample's first conversation, sent by its first user.
  await expect(recipeParam(form, 'message_group_uuid')).not.toHaveValue('')
  await expect(recipeParam(form, 'user_handle')).toHaveValue('andrewbrown')
  const text = `E2E hello ${Date.now().toString(36)}`
  await recipeParam(form, 'message').fill(text)
  await form.getByRole('button', { name: 'Run Send a message' }).click()

  const timeline = page.getByRole('region', { name: 'Timeline' })
  await expect(timeline.getByLabel('Records processed')).toHaveText(/Records processed: [1-9]/)
  await expect(timeline.getByLabel('Run summary')).toContainText('Written as one request per step')
  await expect(timeline.getByLabel('Run summary')).toContainText('handler ran from the stream')
  const steps = timeline.getByRole('list', { name: 'Steps' }).getByRole('listitem')
  await expect(steps).toHaveCount(1)
  // Next reveals a step and brings it into view, one step at a time.
  for (let n = 2; n <= 4; n++) {
    await timeline.getByRole('button', { name: 'Next step' }).click()
    await expect(steps).toHaveCount(n)
    await expect(steps.nth(n - 1).getByRole('heading', { level: 3 })).toBeInViewport()
  }
  const all = await allStepTitles(timeline)
  expect(all.length).toBeGreaterThanOrEqual(5)
  expect(all[0]).toMatch(/^PutItem MSG#/)
  expect(all.some((s) => s.startsWith('Stream record INSERT MSG#'))).toBe(true)
  expect(all.some((s) => s.startsWith(`Query ${GSI}`))).toBe(true)
  // Keys cannot be updated: each conversation row is deleted and put again, and the timeline shows that pair as
  // one change of the row: its sort key and message, old → new.
  const moved = all.filter((s) => /^Moved Conversation GRP#[^:]+: sk .+ → .+, /.test(s))
  expect(moved).toHaveLength(2)
  for (const m of moved) expect(m).toContain(`→ ${text}`)
  expect(all.some((s) => /^(DeleteItem|TransactWriteItems Delete) GRP#/.test(s))).toBe(false)
  const move = steps.filter({ has: page.getByRole('heading', { name: moved[0]! }) })
  await move.getByText('Old and new items').click()
  await expect(move.getByLabel(/^Step \d+ old item$/)).toContainText('"sk"')
  await expect(move.getByLabel(/^Step \d+ new item$/)).toContainText(text)
  // Ids and timestamps never wrap mid-token: the new sort key (a timestamp with hyphens) sits on one line.
  const cell = move
    .getByRole('table', { name: /changes$/ })
    .getByRole('row', { name: /^sk / })
    .getByRole('cell')
    .last()
  const lines = await cell.evaluate((el) => {
    const r = el.ownerDocument.createRange()
    r.selectNodeContents(el)
    return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size
  })
  expect(lines).toBe(1)
  await page.screenshot({ path: test.info().outputPath('recipe-send-message.png') })

  // Both participants' conversation rows now carry the message: in the GSI they sit together in one partition.
  await timeline.getByRole('button', { name: 'Show in visualizer' }).click()
  await page.getByRole('combobox', { name: 'View' }).selectOption(GSI)
  const gsiGrid = page.getByRole('grid', { name: `Items in ${GSI}` })
  await expect(
    gsiGrid.getByRole('row', { name: new RegExp(`^Conversation new.*${escapeRegExp(text)}`) }),
  ).toHaveCount(2)
  await expect(gsiGrid.getByRole('row', { name: /^Conversation removed/ }).first()).toBeVisible()

  const stored = (await scanAll(request, host, TABLE)).filter((it) => it.message?.S === text)
  expect(stored.map((it) => it.pk!.S!.slice(0, 4)).sort()).toEqual(['GRP#', 'GRP#', 'MSG#'])

  // Replaying the stream record runs the handler again; it must not move the rows anywhere else.
  await page.getByRole('tab', { name: 'Writes & stream' }).click()
  const processed = Number(
    (await timeline.getByLabel('Records processed').textContent())!.replace(/\D+/g, ''),
  )
  // The timeline kept its place while the visualizer was open.
  await expect(timeline.getByRole('button', { name: 'Show all steps' })).toBeDisabled()
  await timeline.getByRole('button', { name: 'Replay this record' }).first().click()
  await expect(timeline.getByRole('heading', { name: /^Replay of record / })).toBeVisible()
  await expect(timeline.getByLabel('Records processed')).toHaveText(`Records processed: ${processed + 1}`)
  const replayed = (await scanAll(request, host, TABLE)).filter((it) => it.message?.S === text)
  expect(replayed.map((it) => `${it.pk!.S}|${it.sk!.S}`).sort()).toEqual(
    stored.map((it) => `${it.pk!.S}|${it.sk!.S}`).sort(),
  )

  // What was typed is kept: Ctrl+Enter sends the same text again, as a newer message the rows move to.
  await recipeParam(form, 'message').press('Control+Enter')
  await expect(timeline.getByRole('heading', { name: 'Send a message', level: 2 })).toBeVisible()
  await expect
    .poll(async () => (await scanAll(request, host, TABLE)).filter((it) => it.message?.S === text).length)
    .toBe(4)

  // Earlier sends and replays are kept (per model, in the user data folder): the replay's timeline comes back.
  const runs = page.getByRole('navigation', { name: 'Earlier runs' }).getByRole('button')
  await expect(runs.first()).toContainText('Send a message')
  await expect(runs.first()).toHaveAttribute('aria-current', 'true')
  await runs
    .filter({ hasText: /^Replay/ })
    .first()
    .click()
  await expect(timeline.getByRole('heading', { name: /^Replay of record /, level: 2 })).toBeVisible()
  await expect(runs.filter({ hasText: /^Replay/ }).first()).toHaveAttribute('aria-current', 'true')
  await page.reload()
  await page.getByRole('tab', { name: 'Writes & stream' }).click()
  await expect(runs.filter({ hasText: 'Send a message' })).not.toHaveCount(0)
  await runs.filter({ hasText: 'Send a message' }).last().click()
  await timeline.getByRole('button', { name: 'Show all steps' }).click()
  await expect(timeline.getByRole('heading', { name: /^Moved Conversation GRP#/ })).toHaveCount(2)
})

test('start-conversation writes three rows in one transaction; a repeat is cancelled with each reason; the handler moves the new rows', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openVisualizer(page)
  const group = randomUUID()
  const other = randomUUID()
  const form = await openRecipe(page, 'Start a conversation', 'start-conversation')
  await recipeParam(form, 'message_group_uuid').fill(group)
  await recipeParam(form, 'created_at').fill('2026-12-01T09:00:00.000000+00:00')
  await recipeParam(form, 'message').fill('Welcome aboard')
  await recipeParam(form, 'other_user_uuid').fill(other)
  await recipeParam(form, 'other_user_display_name').fill('Susan Ivanova')
  await recipeParam(form, 'other_user_handle').fill('ivanova')
  await form.getByRole('button', { name: 'Run Start a conversation' }).click()

  const timeline = page.getByRole('region', { name: 'Timeline' })
  const summary = timeline.getByLabel('Run summary')
  await expect(summary).toContainText('Written as one TransactWriteItems; handler ran from the stream')
  const first = await allStepTitles(timeline)
  expect(first.filter((s) => / \(TransactWriteItems [123]\/3\)$/.test(s))).toHaveLength(3)
  expect(first.filter((s) => s.startsWith('Stream record INSERT'))).toHaveLength(3)
  expect(first.some((s) => s.startsWith(`Query ${GSI}`))).toBe(true)

  // The same rows again: every Put's condition fails, so the transaction is cancelled and nothing is written.
  await form.getByRole('button', { name: 'Run Start a conversation' }).click()
  await expect(summary).toContainText('Refused (dynamodb.conditionFailed) as one TransactWriteItems')
  await timeline.getByRole('button', { name: 'Show all steps' }).click()
  await expect(timeline.getByText('Cancellation reason: ConditionalCheckFailed')).toHaveCount(3)

  // A message into the new conversation: the handler (user code) moves both conversation rows to it.
  const send = await openRecipe(page, 'Send a message', 'send-message')
  await recipeParam(send, 'message_group_uuid').fill(group)
  await recipeParam(send, 'message').fill('Ivanova is always right')
  await send.getByRole('button', { name: 'Run Send a message' }).click()
  await expect(summary).toContainText('Written as one request per step')
  const titles = await allStepTitles(timeline)
  const moves = titles.filter((s) => /^Moved Conversation GRP#/.test(s))
  expect(moves.map((s) => s.split(':')[0]!.replace(/^.* /, '')).sort()).toEqual(
    [`GRP#${other}`, 'GRP#8b0a7f8e-2a44-4c4e-9a53-6d1a1f0b6c01'].sort(),
  )
  const rows = (await scanAll(request, host, TABLE)).filter((it) => it.message_group_uuid?.S === group)
  expect(rows.map((it) => it.message!.S)).toEqual(['Ivanova is always right', 'Ivanova is always right'])
  await page.screenshot({ path: test.info().outputPath('recipe-start-conversation.png') })
})

test('editing an item that changed behind the UI shows a conflict and keeps the edit', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const items = await scanAll(request, host, TABLE)
  const messages = items.filter((it) => it.pk!.S!.startsWith('MSG#'))
  const firstPk = messages.map((it) => it.pk!.S!).sort()[0]!
  const target = messages
    .filter((it) => it.pk!.S === firstPk)
    .sort((a, b) => (a.sk!.S! < b.sk!.S! ? -1 : 1))[0]!
  const grid = await openVisualizer(page)

  await grid.getByRole('row', { name: new RegExp(`^Message.*${escapeRegExp(target.sk!.S!)}`) }).click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')

  // Invalid JSON is reported, not saved.
  await replaceEditorText(page, editor, '{ "pk": ')
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText(/Not valid JSON/)
  await expect(inspector.getByRole('button', { name: 'Save item' })).toBeDisabled()

  const plain = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, v.S ?? v.N]))
  await replaceEditorText(page, editor, JSON.stringify({ ...plain, message: 'Edited in the UI' }, null, 2))
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid — unsaved changes.')

  // Someone else changes the item.
  await api(request, host, 'items:put', {
    connectionId: 'embedded',
    tableName: TABLE,
    item: { ...target, message: { S: 'Changed behind the UI' } },
  })

  await inspector.getByRole('button', { name: 'Save item' }).click()
  const alert = inspector.getByRole('alert')
  await expect(alert).toContainText('item.conflict')
  await expect(alert).toContainText('keep your edit over it')
  await expect(inspector.getByText('Edited in the UI')).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('conflict.png') })

  // Keep the edit over the stored item: the save is now conditional on the version just read.
  await inspector.getByRole('button', { name: 'Keep my edit over the stored item' }).click()
  await expect(inspector.getByRole('alert')).toHaveCount(0)
  await page.keyboard.press('ControlOrMeta+S')
  await expect(inspector.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible()
  await expect(
    page.getByRole('grid', { name: 'Items' }).getByRole('row', { name: /^Message changed/ }),
  ).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('item-saved.png') })
  const after = (await scanAll(request, host, TABLE)).find(
    (it) => it.pk!.S === target.pk!.S && it.sk!.S === target.sk!.S,
  )
  expect(after?.message).toEqual({ S: 'Edited in the UI' })

  // Changing the key explains why it is a delete + put, and asks first.
  const newSk = `${target.sk!.S!.slice(0, 10)}T00:00:00.000001+00:00`
  await replaceEditorText(
    page,
    editor,
    JSON.stringify({ ...plain, sk: newSk, message: 'Edited in the UI' }, null, 2),
  )
  await expect(inspector.getByText(/DynamoDB cannot update key attributes/)).toBeVisible()
  await inspector.getByRole('button', { name: 'Save item' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change the key?' })
  await dialog.getByRole('button', { name: 'Delete and put' }).click()
  await expect(inspector.getByRole('status').filter({ hasText: /old item was deleted/ })).toBeVisible()
  const keys = (await scanAll(request, host, TABLE))
    .filter((it) => it.pk!.S === target.pk!.S)
    .map((it) => it.sk!.S)
  expect(keys).toContain(newSk)
  expect(keys).not.toContain(target.sk!.S)
})

test('the help popover lists the shortcuts, and R reloads', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  await openVisualizer(page)
  await page.getByRole('grid', { name: 'Items' }).getByRole('row').first().focus()
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help.getByRole('rowheader', { name: 'Ctrl+Enter' })).toBeVisible()
  await expect(help.getByRole('rowheader', { name: 'Ctrl+S' })).toBeVisible()
  // A modal: focus is inside it, and Escape closes it.
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(help).toHaveCount(0)
  await page.keyboard.press('?')
  await help.getByRole('button', { name: 'Close' }).click()
  await expect(help).toHaveCount(0)

  // An item written by someone else shows up after R.
  await api(request, host, 'items:put', {
    connectionId: 'embedded',
    tableName: TABLE,
    item: { pk: { S: 'AAA#e2e' }, sk: { S: 'reload' }, note: { S: 'added through the API' } },
  })
  await page.keyboard.press('r')
  await expect(
    page.getByRole('grid', { name: 'Items' }).getByRole('rowheader', { name: /^AAA#e2e/ }),
  ).toBeVisible()
  await api(request, host, 'items:delete', {
    connectionId: 'embedded',
    tableName: TABLE,
    key: { pk: { S: 'AAA#e2e' }, sk: { S: 'reload' } },
  })
})

test('schema & data shows the definition, seeds with the generator, and exports a download', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openVisualizer(page)
  await page.getByRole('tab', { name: 'Schema & data' }).click()
  const section = page.getByRole('region', { name: 'Schema and data' })
  const facts = section.getByRole('definition')
  await expect(facts.filter({ hasText: 'pk (S)' }).first()).toBeVisible()
  await expect(facts.filter({ hasText: /^Provisioned: 5 RCU \/ 5 WCU$/ })).toBeVisible()
  await expect(facts.filter({ hasText: /^on \(NEW_IMAGE\)$/ })).toBeVisible()
  const gsiRow = section.getByRole('table', { name: 'Indexes' }).getByRole('row', { name: new RegExp(GSI) })
  await expect(gsiRow).toContainText('message_group_uuid (S) / sk (S)')
  await expect(gsiRow).toContainText('ALL')

  const download = page.waitForEvent('download')
  await section.getByRole('button', { name: 'Export JSON' }).click()
  expect((await download).suggestedFilename()).toBe(`${TABLE}.json`)
  await expect(
    section.getByRole('status').filter({ hasText: /^Exported \d+ items as cruddur-messages\.json\.$/ }),
  ).toBeVisible()

  const generator = section.getByRole('form', { name: 'Generator' })
  await generator.getByLabel('Users').fill('5')
  await generator.getByLabel('Conversations').fill('4')
  await generator.getByLabel('Messages').fill('40')
  await generator.getByRole('button', { name: 'Seed with generator' }).click()
  await expect(
    section.getByRole('status').filter({ hasText: /^Wrote \d+ items to cruddur-messages/ }),
  ).toBeVisible({ timeout: 60_000 })
  await page.screenshot({ path: test.info().outputPath('schema.png') })

  // Dropping asks for the table's name first.
  await section.getByRole('button', { name: 'Drop table' }).click()
  const dialog = page.getByRole('dialog', { name: `Drop ${TABLE}?` })
  await expect(dialog.getByRole('button', { name: 'Drop table' })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toHaveCount(0)

  // A drop that fails (the table went away behind the UI) shows its code here, not only on the overview.
  await api(request, host, 'tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
  await section.getByRole('button', { name: 'Drop table' }).click()
  await dialog.getByRole('textbox').fill(TABLE)
  await dialog.getByRole('button', { name: 'Drop table' }).click()
  await expect(section.getByRole('alert').filter({ hasText: 'table.notFound' })).toBeVisible()
})
