import { expect, type Locator, type Page } from '@playwright/test'

/** Runs in the page; this file is typechecked without DOM types. */
type Styles = { outlineStyle: string; outlineWidth: string; boxShadow: string }
/**
 * The focused element shows it: an outline of at least 1px, or a box-shadow ring. A composite widget that keeps
 * the focus itself and points at its current row with aria-activedescendant (the visualizer's grid) shows the ring
 * on that row instead.
 */
export async function expectFocusVisible(target: Locator) {
  const ring = () =>
    target.evaluate((el) => {
      type El = {
        getAttribute(n: string): string | null
        ownerDocument: { getElementById(id: string): El | null }
      }
      const host = el as unknown as El
      const id = host.getAttribute('aria-activedescendant')
      const shown = (id && host.ownerDocument.getElementById(id)) || host
      const s = (globalThis as unknown as { getComputedStyle(e: unknown): Styles }).getComputedStyle(shown)
      const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none'
      return visible
        ? 'visible'
        : `not visible (${id ? `row ${id}: ` : ''}${s.outlineStyle} ${s.outlineWidth}, ${s.boxShadow})`
    })
  await expect.poll(ring, { message: `focus ring on ${target.toString()}` }).toBe('visible')
}

export const isFocused = (target: Locator) =>
  target.evaluate(
    (el) =>
      el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
  )

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, then checks that the focus is visible there. Fails
 * when it is not reached within `max` presses: that is an unreachable control.
 */
export async function tabTo(page: Page, target: Locator, options: { back?: boolean; max?: number } = {}) {
  await expect(target).toBeVisible()
  for (let i = 0; i < (options.max ?? 150); i++) {
    if (await isFocused(target).catch(() => false)) {
      await expectFocusVisible(target)
      return
    }
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`${target.toString()} was not reached with ${options.back ? 'Shift+Tab' : 'Tab'}`)
}

/** Arrow keys along the view tabs until `name` is selected; the focus stays on (and shows on) the tab. */
export async function arrowToTab(page: Page, name: string) {
  const tabs = page.getByRole('tablist', { name: 'Views' })
  const target = tabs.getByRole('tab', { name })
  // The arrows move the focus and open the tab reached (automatic activation).
  for (let i = 0; i < 10 && !(await isFocused(target)); i++) await page.keyboard.press('ArrowRight')
  await expect(target).toHaveAttribute('aria-selected', 'true')
  await expect(target).toBeFocused()
  await expectFocusVisible(target)
}
