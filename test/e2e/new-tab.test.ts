// Scenario 4 — where a tab's first token comes from.
// A tab opened while another tab of the profile holds a valid token is authenticated
// without any refresh call: its restore() asks the open tabs (BroadcastChannel) and
// takes the answer. Reloading the only tab leaves nobody to ask, so its restore()
// spends the refresh cookie exactly once.
import { expect, it } from 'vitest'
import { login, openTab, statusOf, useHarness, waitReady } from './helpers/harness.ts'

// Long-lived tokens: the refresh timer never fires during these tests.
const e2e = useHarness(30)

it('authenticates a new tab from an open tab, with no refresh call', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const first = await openTab(profile, harness)
  expect(await login(first)).toBe('authenticated')
  harness.server.reset()

  const second = await openTab(profile, harness)
  expect(await second.evaluate(() => window.restored)).toBe('authenticated')
  const me = await second.evaluate(async () => (await window.auth.fetch('/api/me')).status)
  console.log(`[new-tab] refreshes=${stats.refreshes} for a second tab`)
  expect(me).toBe(200)
  expect(stats.refreshes).toBe(0)
  expect(stats.api401s).toBe(0)
  // Both tabs hold the one token that login issued.
  const tokens = await Promise.all([first, second].map((tab) => tab.evaluate(() => window.auth.getAccessToken())))
  expect(tokens[1]).toBe(tokens[0])
})

it('authenticates the only tab after a reload with exactly one refresh call', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const page = await openTab(profile, harness)
  expect(await login(page)).toBe('authenticated')
  const other = await openTab(profile, harness)
  await other.close()
  expect(profile.pages()).toHaveLength(1)
  harness.server.reset()

  await page.reload()
  await waitReady(page)
  expect(await page.evaluate(() => window.restored)).toBe('authenticated')
  expect(await statusOf(page)).toEqual({ status: 'authenticated' })
  expect(await page.evaluate(async () => (await window.auth.fetch('/api/me')).status)).toBe(200)
  console.log(`[new-tab] refreshes=${stats.refreshes} for a reload of the only tab`)
  expect(stats.refreshes).toBe(1)
  expect(stats.refreshFailures).toBe(0)
  expect(stats.reuseDetections).toBe(0)
})
