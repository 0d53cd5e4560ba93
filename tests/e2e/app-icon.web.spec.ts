import { expect, test } from './support/fixtures'

// The favicon the browser tab shows, and the PNG beside it that the Electron window uses (both from
// renderer/public/): served by the real host, behind the same cookie as the app's other files.
test('the tab has the Tablewright icon, and the window icon beside it is a 512 px PNG', async ({ page }) => {
  const link = page.locator('head link[rel="icon"]')
  await expect(link).toHaveAttribute('type', 'image/svg+xml')
  // The resolved URL (the attribute is relative to the app's path).
  const href = await link.evaluate((el) => (el as unknown as { href: string }).href)

  const svg = await page.request.get(href)
  expect(svg.status()).toBe(200)
  expect(svg.headers()['content-type']).toBe('image/svg+xml')
  const text = await svg.text()
  expect(text).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/)
  expect(text).toContain('<title>Tablewright</title>')

  const png = await page.request.get(new URL('icon.png', href).toString())
  expect(png.status()).toBe(200)
  const bytes = await png.body()
  // PNG signature, then the IHDR chunk's width and height (big-endian, at bytes 16 and 20).
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([512, 512])
})
