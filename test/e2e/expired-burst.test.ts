// Scenario 2 — a burst of requests after expiry costs one refresh.
// A tab holds an access token that both it and the server know has expired; 50
// concurrent auth.fetch('/api/me') all answer 200 and the server sees exactly one
// refresh call (the per-tab single flight), and no 401 (each request waited for the
// new token instead of going out with the old one).
//
// Making "after expiry" real without waiting: this is a laptop that slept past the
// token's expiry. The page's clock jumps ahead (Playwright's setSystemTime: Date moves,
// no timer fires, as when a lid is closed) and so does the server's; the SDK's refresh
// timer has not fired, so the first request finds the token expired. The test checks
// that precondition instead of trusting it: the server answers the old token with a
// 401 "expired", and the page's clock is past expiresAt when the burst starts.
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const ACCESS_TTL = 30
const SLEPT_MS = (ACCESS_TTL + 10) * 1000

const e2e = useHarness(ACCESS_TTL)

it('answers 50 concurrent requests after expiry with one refresh call', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const page = await openTab(profile, harness)
  expect(await login(page)).toBe('authenticated')
  const oldToken = await page.evaluate(() => window.auth.getAccessToken())

  const pageNow = await page.evaluate(() => Date.now())
  await profile.clock.setSystemTime(pageNow + SLEPT_MS)
  harness.server.clock.advance(SLEPT_MS)
  const stale = await fetch(`${harness.server.url}/api/me`, { headers: { Authorization: `Bearer ${oldToken}` } })
  expect(stale.status).toBe(401)
  expect(await stale.json()).toMatchObject({ error: 'invalid_token', reason: 'expired' })
  harness.server.reset()

  const burst = await page.evaluate(async () => {
    const state = window.auth.getState()
    // Same task as the calls below: no timer can refresh in between.
    const expiredBy = state.status === 'authenticated' ? Date.now() - state.expiresAt : null
    const calls = Array.from({ length: 50 }, () => window.auth.fetch('/api/me'))
    const responses = await Promise.all(calls)
    const bodies = await Promise.all(responses.map((response) => response.json()))
    return { expiredBy, statuses: responses.map((r) => r.status), subs: bodies.map((b) => b.sub) }
  })

  console.log(
    `[expired-burst] refreshes=${stats.refreshes} apiCalls=${stats.apiCalls} api401s=${stats.api401s} ` +
      `(token expired ${burst.expiredBy} ms before the burst)`,
  )
  expect(burst.expiredBy).toBeGreaterThan(0)
  expect(burst.statuses).toEqual(Array(50).fill(200))
  expect(new Set(burst.subs)).toEqual(new Set(['user-1']))
  expect(stats.refreshes).toBe(1)
  expect(stats.refreshFailures).toBe(0)
  expect(stats.apiCalls).toBe(50)
  expect(stats.api401s).toBe(0)
})
