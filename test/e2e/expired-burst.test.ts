// Scenario 2 — a burst of requests after expiry costs one refresh.
// A tab holds an access token the server already rejects as expired; 50 concurrent
// auth.fetch('/api/me') all answer 200 and the server sees exactly one refresh call
// (the per-tab single flight), and no 401 (each request waited for the new token).
//
// Making "after expiry" real: the SDK refreshes on its own timer before expiry, so a
// tab left idle is never expired. Rather than fake the page's clock, we let the timer
// fire for real and fail: one injected 503 at /auth/refresh, with `retries: 0` on the
// client (?retries=0), makes that background refresh fail; the SDK then keeps its
// (still valid) token and plans its next attempt RETRY_AFTER_FAILURE (10 s) later, so
// the token really expires first. The test checks that precondition instead of
// trusting it: the 'error' event came, the old token gets a 401 "expired" from the
// server, and the page's clock is past expiresAt when the burst starts.
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const e2e = useHarness(3)

it('answers 50 concurrent requests after expiry with one refresh call', async () => {
  const { harness } = e2e
  const { stats, faults } = harness.server
  const page = await openTab(e2e.profile, harness, { retries: 0 })
  expect(await login(page)).toBe('authenticated')
  const oldToken = await page.evaluate(() => window.auth.getAccessToken())
  faults.push({ kind: 'status', status: 503 })

  // The timer's refresh meets the 503 and fails; the token is then left to expire.
  await page.waitForFunction(() => window.events.some((e) => e.type === 'error'), undefined, { timeout: 5_000 })
  expect(faults.pending()).toBe(0)
  await page.waitForFunction(
    () => {
      const state = window.auth.getState()
      return state.status === 'authenticated' && Date.now() > state.expiresAt
    },
    undefined,
    { timeout: 5_000 },
  )
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
