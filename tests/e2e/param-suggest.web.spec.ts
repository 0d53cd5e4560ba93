import { api } from './support/api'
import { expect, test } from './support/fixtures'

const TABLE = 'cruddur-messages'
const LONDO = 'e5f7a9b1-3c5d-4f6e-8a7b-9c0d1e2f3a03'
const GROUP_ANDREW_LONDO = '9d3f1c2b-8e4a-4b6d-a0c2-7f5e3d1b9a10'

test('a bound parameter offers values from the table: arrows and Enter pick one and fill its companions', async ({
  page,
  request,
  host,
}) => {
  // The sample items, whatever else the shared engine holds (seeding them again rewrites the same keys).
  await api(request, host, 'schema:load', { connectionId: 'embedded', modelId: 'cruddur' })
  await api(request, host, 'data:seed', { connectionId: 'embedded', modelId: 'cruddur' })
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(TABLE) })
    .click()
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  await page
    .getByRole('navigation', { name: 'Patterns' })
    .getByRole('button', { name: /^C Send a message/ })
    .click()
  const form = page.getByRole('form', { name: 'Pattern C parameters' })

  // The conversation: labelled by the other participant and the last message, never a bare uuid to type.
  const group = form.getByRole('combobox', { name: /^message_group_uuid/ })
  await group.fill('')
  const groups = form.getByRole('listbox', { name: 'Suggestions' })
  await expect(groups.getByRole('option').first()).toBeVisible()
  expect(await groups.getByRole('option').count()).toBeGreaterThanOrEqual(2)
  for (const name of await groups.getByRole('option').allTextContents()) expect(name).toMatch(/^@\w+: .+/)
  // Each conversation once, with its uuid under the label.
  await expect(groups.getByRole('option', { name: new RegExp(GROUP_ANDREW_LONDO) })).toHaveCount(1)
  await expect(group).toHaveAttribute('aria-expanded', 'true')
  await group.press('ArrowDown')
  const firstValue = (await groups.getByRole('option').first().locator('code').textContent())!.trim()
  await expect(groups.getByRole('option').first()).toHaveAttribute('aria-selected', 'true')
  await group.press('Enter')
  await expect(group).toHaveValue(firstValue)
  await expect(group).toHaveAttribute('aria-expanded', 'false')

  // Typing filters by label; picking the sender fills their name and handle from the same item.
  const user = form.getByRole('combobox', { name: /^user_uuid/ })
  await user.fill('londo')
  const users = form.getByRole('listbox', { name: 'Suggestions' })
  await expect(users.getByRole('option')).toHaveCount(1)
  await expect(users.getByRole('option')).toContainText('@londo (Londo Mollari)')
  await user.press('ArrowDown')
  await user.press('Enter')
  await expect(user).toHaveValue(LONDO)
  await expect(form.getByLabel(/^user_handle/)).toHaveValue('londo')
  await expect(form.getByLabel(/^user_display_name/)).toHaveValue('Londo Mollari')

  // Escape closes the list and keeps the value; the mouse picks too.
  await user.press('ArrowDown')
  await expect(users).toBeVisible()
  await user.press('Escape')
  await expect(users).toBeHidden()
  await expect(user).toHaveValue(LONDO)
  await user.fill('bayko')
  await users.getByRole('option', { name: /@bayko/ }).click()
  await expect(form.getByLabel(/^user_handle/)).toHaveValue('bayko')
})
