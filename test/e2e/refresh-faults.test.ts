// Scenario 7 — a failing refresh endpoint, seen from a real tab.
// - 503, 503, then OK: the request that needed a new token succeeds after the SDK's
//   retries, for exactly 3 refresh calls.
// - A refresh that hangs past the client's timeout (?timeout=1000&retries=0): the
//   request still settles (no hang) and the tab stays usable: once its backoff step
//   is due it refreshes by itself (so the Web Lock was released too) and its next
//   request succeeds.
// - A 401 from the refresh endpoint ends the session (reason session_expired) once:
//   no further refresh call over the following minutes, even when the app calls the API.
//
// Tokens live 30 s, so no refresh timer fires unless a test makes it. The first two
// need "a request that needs a refresh" on demand: the server's clock is moved past
// the token's lifetime, so /api answers a real 401 (invalid_token, expired) to a token
// the client still thinks fresh, and auth.fetch refreshes and retries once. The third
// lets the timer's own refresh meet the 401: the page's clock (Playwright's, installed
// before login) jumps to the refresh time and then minutes past it.
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { countEvents, login, openTab, statusOf, useHarness } from './helpers/harness.ts'

const ACCESS_TTL = 30
// A hang guard, not a speed limit: the contract's bound is 2 × timeout (2 s here).
const SETTLE_GUARD = 20_000

const e2e = useHarness(ACCESS_TTL)

it('succeeds after two 503s from the refresh endpoint, with exactly 3 refresh calls', async () => {
  const { harness, profile } = e2e
  const { stats, faults, clock } = harness.server
  const page = await openTab(profile, harness)
  expect(await login(page)).toBe('authenticated')
  harness.server.reset()
  faults.push({ kind: 'status', status: 503 }, { kind: 'status', status: 503 })
  clock.advance((ACCESS_TTL + 1) * 1000)

  const result = await page.evaluate(async () => {
    const response = await window.auth.fetch('/api/me')
    return { status: response.status, body: await response.json() }
  })
  console.log(
    `[refresh-faults] 503,503,OK: refreshes=${stats.refreshes} failures=${stats.refreshFailures} api401s=${stats.api401s}`,
  )
  expect(result).toMatchObject({ status: 200, body: { sub: 'user-1' } })
  expect(stats.refreshes).toBe(3)
  expect(stats.refreshFailures).toBe(2)
  expect(stats.api401s).toBe(1) // the first try, with the token the server's clock had expired
  expect(await statusOf(page)).toEqual({ status: 'authenticated' })
})

it('settles a request whose refresh hangs past the timeout, and stays usable', async () => {
  const { harness, profile } = e2e
  const { stats, faults, clock } = harness.server
  const page = await openTab(profile, harness, { timeout: 1000, retries: 0 })
  expect(await login(page)).toBe('authenticated')
  harness.server.reset()
  faults.push({ kind: 'hang' })
  clock.advance((ACCESS_TTL + 1) * 1000)

  const hung = await settles(page, 'a request whose refresh hangs')
  // The 401 is handed back as it came: plain fetch would have returned it too.
  expect(hung.outcome).toBe(401)
  expect(await page.evaluate(() => window.events.flatMap((e) => (e.type === 'error' ? [e.code] : [])))).toEqual([
    'timeout',
  ])
  // A transient failure does not end the session; the client tries again once its backoff is due.
  expect(await statusOf(page)).toEqual({ status: 'authenticated' })
  await page.waitForFunction(() => window.events.some((e) => e.type === 'refresh'), undefined, {
    timeout: SETTLE_GUARD,
  })

  // Usable: that refresh took the lock (so the hung one released it) and the next request succeeds.
  const after = await settles(page, 'the next request')
  console.log(
    `[refresh-faults] hang: settled in ${hung.ms} ms with ${hung.outcome}, ` +
      `next request ${after.outcome} in ${after.ms} ms; refreshes=${stats.refreshes}`,
  )
  expect(after.outcome).toBe(200)
  expect(stats.refreshes).toBe(2)
  expect(stats.refreshFailures).toBe(1)
})

it('ends the session once when the refresh endpoint answers 401, with no refresh loop', async () => {
  const { harness, profile } = e2e
  const { stats, faults } = harness.server
  const page = await openTab(profile, harness)
  // From here on the page's timers run on Playwright's clock (in step with real time until moved).
  await profile.clock.install()
  expect(await login(page)).toBe('authenticated')
  harness.server.reset()
  await page.evaluate(() => (window.calls.length = 0))
  faults.push({ kind: 'status', status: 401 })

  // Past the refresh time (at most lifetime - 20 %), short of expiry: the timer's refresh meets the 401.
  await page.clock.fastForward(ACCESS_TTL * 900)
  await page.waitForFunction(() => window.auth.getState().status === 'unauthenticated')
  expect(await statusOf(page)).toEqual({ status: 'unauthenticated', reason: 'session_expired' })
  // Minutes more, each jump firing whatever timer is due, then the app calls the API.
  for (let jump = 0; jump < 3; jump++) await page.clock.fastForward(ACCESS_TTL * 2000)
  const next = await page.evaluate(async () => {
    const response = await window.auth.fetch('/api/me')
    return { status: response.status, body: await response.json(), token: await window.auth.getAccessToken() }
  })
  const expired = await countEvents(page, 'session_expired')
  const refreshCalls = await page.evaluate(() => window.calls.filter((call) => call.path === '/auth/refresh').length)
  console.log(`[refresh-faults] 401: refreshes=${stats.refreshes} session_expired events=${expired}`)
  expect(next).toMatchObject({ status: 401, body: { error: 'missing_token' }, token: null })
  expect(expired).toBe(1)
  expect(refreshCalls).toBe(1)
  expect(stats.refreshes).toBe(1)
  expect(stats.refreshFailures).toBe(1)
})

/** Calls /api/me through auth.fetch; fails if the call has not settled within SETTLE_GUARD. */
async function settles(page: Page, what: string): Promise<{ outcome: number | string; ms: number }> {
  const call = page.evaluate(async () => {
    const started = performance.now()
    const outcome = await window.auth.fetch('/api/me').then(
      (response) => response.status,
      (error) => `error:${error}`,
    )
    return { outcome, ms: Math.round(performance.now() - started) }
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${SETTLE_GUARD} ms`)), SETTLE_GUARD)
  })
  try {
    return await Promise.race([call, guard])
  } finally {
    clearTimeout(timer)
  }
}
