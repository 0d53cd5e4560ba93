import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'

test.describe.configure({ mode: 'serial' })

test('a limit pages through pattern B with Older and Newer; LastEvaluatedKey is shown', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  await page
    .getByRole('navigation', { name: 'Patterns' })
    .getByRole('button', { name: /^B A user's conversations/ })
    .click()
  const form = page.getByRole('form', { name: 'Pattern B parameters' })
  await form.getByRole('spinbutton', { name: 'Limit' }).fill('1')
  await form.getByRole('button', { name: 'Run pattern B' }).click()
  const result = page.getByRole('region', { name: 'Result of pattern B' })
  const rows = result.getByRole('table', { name: 'Pattern B items' }).getByRole('row')
  await expect(rows).toHaveCount(2) // header + 1
  await expect(result.getByLabel('Request', { exact: true })).toContainText('"Limit": 1')
  const pages = result.getByRole('navigation', { name: 'Pages' })
  await expect(pages.getByLabel('Page', { exact: true })).toHaveText('Page 1')
  await expect(pages.getByRole('button', { name: 'Newer' })).toBeDisabled()
  await expect(pages.getByLabel('LastEvaluatedKey')).toContainText('"pk":"GRP#')
  const firstPage = await rows.allTextContents()

  await pages.getByRole('button', { name: 'Older' }).click()
  await expect(pages.getByLabel('Page', { exact: true })).toHaveText('Page 2')
  await expect(result.getByLabel('Request', { exact: true })).toContainText('ExclusiveStartKey')
  const secondPage = await rows.allTextContents()
  expect(secondPage.slice(1)).not.toEqual(firstPage.slice(1))
  await expect(rows).toHaveCount(2)
  // Newest first: page 2's conversation is older than page 1's (the sk column holds the time).
  const sk = async () => (await rows.nth(1).getByRole('cell').nth(2).textContent())!.trim()
  const page2 = await sk()
  await pages.getByRole('button', { name: 'Newer' }).click()
  await expect(pages.getByLabel('Page', { exact: true })).toHaveText('Page 1')
  await expect.poll(() => rows.allTextContents()).toEqual(firstPage)
  expect(page2 < (await sk())).toBe(true)

  // A limit out of range is refused before anything is sent: the form does not submit.
  const limit = form.getByRole('spinbutton', { name: 'Limit' })
  await limit.fill('0')
  expect(await limit.evaluate((el) => (el as unknown as { checkValidity(): boolean }).checkValidity())).toBe(
    false,
  )
  await form.getByRole('button', { name: 'Run pattern B' }).click()
  await expect(pages.getByLabel('Page', { exact: true })).toHaveText('Page 1')
  await expect(rows).toHaveCount(2)
})

test('generated code is highlighted, and Copy sits above the first line', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  await page.getByRole('button', { name: /^Run pattern/ }).click()
  const result = page.getByRole('region', { name: /^Result of pattern/ })
  const code = result.getByRole('tabpanel').getByLabel('typescript code', { exact: true })
  await expect(code).toContainText('QueryCommand')
  // Keywords and strings are marked up, and the text is unchanged by it.
  await expect(code.locator('.hljs-keyword').first()).toBeVisible()
  await expect(code.locator('.hljs-string').first()).toBeVisible()
  const colours = await code
    .locator('.hljs-keyword, .hljs-string')
    .evaluateAll(
      (els) =>
        new Set(
          els.map(
            (el) =>
              (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(
                el,
              ).color,
          ),
        ).size,
    )
  expect(colours).toBeGreaterThan(1)

  const copy = result.getByRole('button', { name: 'Copy typescript code' })
  const copyBox = (await copy.boundingBox())!
  const codeBox = (await code.boundingBox())!
  expect(copyBox.y + copyBox.height).toBeLessThanOrEqual(codeBox.y)

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await copy.click()
  await expect(copy).toHaveText('Copied')
  const clip = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  )
  expect(clip).toBe(await code.textContent())
})
