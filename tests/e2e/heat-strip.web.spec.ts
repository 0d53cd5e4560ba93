import type { Locator, Page } from '@playwright/test'
import { ensureCruddur, escapeRegExp } from './support/api'
import { expect, test } from './support/fixtures'

const TABLE = 'cruddur-messages'

async function openTable(page: Page): Promise<void> {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(escapeRegExp(TABLE)) })
    .click()
  await expect(page.getByRole('status', { name: 'View summary' })).toBeVisible()
}

/** Whether the strip's canvas paints some pixel in exactly this colour. */
const paints = (strip: Locator, [r, g, b]: [number, number, number]) =>
  strip.locator('canvas').evaluate(
    (el, want) => {
      // The test's own tsconfig has no DOM types: just what this reads of a canvas.
      const c = el as unknown as {
        width: number
        height: number
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
        }
      }
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === want[0] && data[i + 1] === want[1] && data[i + 2] === want[2]) return true
      return false
    },
    [r, g, b],
  )

test('the heat strip: one cell per partition by size, Enter jumps to one, traffic share shows what throttles, themed', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openTable(page)
  const summary = await page.getByRole('status', { name: 'View summary' }).textContent()
  const partitions = Number(/in ([\d,]+) partitions/.exec(summary!)![1]!.replace(/,/g, ''))

  const bySize = page.getByRole('slider', { name: `Partitions of ${TABLE} by size` })
  await expect(bySize).toHaveAttribute('aria-valuemax', String(partitions))
  await expect(page.getByLabel('Heat strip legend')).toContainText(/^0.+KB$/)

  // The keyboard walks the partitions; the focused one's figures are its text and the readout's.
  await bySize.focus()
  await page.keyboard.press('End')
  await expect(bySize).toHaveAttribute('aria-valuenow', String(partitions))
  const text = (await bySize.getAttribute('aria-valuetext'))!
  const m = /^\d+ of \d+: (.+?): (\d+) items?, [\d.]+ K?B$/.exec(text)
  expect(m, text).not.toBeNull()
  const lastPk = m![1]!
  await expect(page.getByLabel('Partition under the pointer or cursor')).toHaveText(
    text.replace(/^\d+ of \d+: /, ''),
  )

  // Enter jumps the grid to that partition: its header is on screen and the cursor is on its first item.
  const grid = page.getByRole('grid', { name: 'Items' })
  await page.keyboard.press('Enter')
  const header = grid.getByRole('row').filter({ has: page.locator('strong.pk', { hasText: lastPk }) })
  await expect(header).toBeInViewport()
  await expect(page.getByRole('combobox', { name: 'Partition' })).toHaveValue(lastPk)

  // The largest partition takes the top of the ramp: the dark theme's amber, the light theme's deep orange.
  const strip = page.locator('.heat-strip')
  const theme = page.getByRole('button', { name: /Switch to (light|dark) theme/ })
  if ((await theme.getAttribute('aria-label')) === 'Switch to dark theme') await theme.click()
  await expect.poll(() => paints(strip, [0xfb, 0xbf, 0x24])).toBe(true)
  await page.getByRole('button', { name: 'Switch to light theme' }).click()
  await expect.poll(() => paints(strip, [0xc2, 0x41, 0x0c])).toBe(true)
  expect(await paints(strip, [0xfb, 0xbf, 0x24])).toBe(false)
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()

  // Every partition's text, walking the strip from its first cell.
  const walk = async (slider: Locator) => {
    await slider.focus()
    await page.keyboard.press('Home')
    const seen: string[] = []
    for (let i = 0; i < partitions; i++) {
      seen.push((await slider.getAttribute('aria-valuetext'))!)
      await page.keyboard.press('ArrowRight')
    }
    return seen
  }
  const messagePartitions = (await walk(bySize)).filter((t) => /^\d+ of \d+: MSG#/.test(t)).length
  expect(messagePartitions).toBeGreaterThan(0)

  // Traffic: pattern A (1 RCU a call) at 4,000 reads/s per MSG# partition, spread evenly over them: 4,000 RCU/s on
  // each, over the 3,000 limit; the GRP# partitions get none.
  await page.getByRole('tab', { name: 'Check & cost' }).click()
  await page.getByLabel('Rate for A (req/s)').fill(String(4000 * messagePartitions))
  await page.getByRole('button', { name: 'Estimate cost' }).click()
  await expect(page.getByRole('table', { name: 'Cost per pattern' })).toBeVisible({ timeout: 60_000 })
  await page.getByRole('tab', { name: 'Visualizer' }).click()
  await page.getByRole('radio', { name: 'Traffic share' }).check()
  const byTraffic = page.getByRole('slider', { name: `Partitions of ${TABLE} by traffic share` })
  await expect(page.locator('.heat-throttle')).toHaveText(
    `${messagePartitions} partition${messagePartitions === 1 ? '' : 's'} will throttle`,
  )
  await expect(page.getByLabel('Heat strip legend')).toContainText(/^0.+% of the traffic$/)
  const seen = await walk(byTraffic)
  const share = `${Math.round(100 / messagePartitions)}%`
  const msg = seen.filter((t) => /^\d+ of \d+: MSG#/.test(t))
  expect(msg).toHaveLength(messagePartitions)
  for (const t of msg)
    expect(t).toMatch(
      new RegExp(
        `; ${share} of the traffic, 4000 RCU/s \\(133% of 3,000\\), 0 WCU/s \\(0% of 1,000\\); will throttle$`,
      ),
    )
  const grp = seen.filter((t) => /^\d+ of \d+: GRP#/.test(t))
  expect(grp.length).toBeGreaterThan(0)
  for (const t of grp)
    expect(t).toMatch(/; 0% of the traffic, 0 RCU\/s \(0% of 3,000\), 0 WCU\/s \(0% of 1,000\)$/)

  // A click jumps too.
  await page.getByRole('radio', { name: 'Size' }).check()
  const box = (await bySize.boundingBox())!
  await page.mouse.click(box.x + 2, box.y + box.height / 2)
  await expect(bySize).toHaveAttribute('aria-valuenow', '1')
  const first = /^1 of \d+: (.+?): /.exec((await bySize.getAttribute('aria-valuetext'))!)![1]!
  await expect(page.getByRole('combobox', { name: 'Partition' })).toHaveValue(first)
})
