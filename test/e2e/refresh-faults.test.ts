// Scenario 7 — a failing refresh endpoint, seen from a real tab.
// - 503, 503, then OK: the request that needed a new token succeeds after the SDK's
//   retries, for exactly 3 refresh calls.
// - A refresh that hangs past the client's timeout (?timeout=1000&retries=0): the
//   request still settles (no hang) and the tab stays usable: its next request
//   refreshes and succeeds (so the Web Lock was released too).
// - A 401 from the refresh endpoint ends the session (reason session_expired) once:
//   no further refresh call over the following seconds, even when the app calls the API.
//
// The first two need "a request that needs a refresh" on demand: the server's clock is
// moved past the token's lifetime, so /api answers a real 401 (invalid_token, expired)
// to a token the client still thinks fresh, and auth.fetch refreshes and retries once.
// Tokens live 30 s there, so the refresh timer stays out of the counts. The third
// uses 3 s tokens and lets the timer's own refresh meet the 401.
import { describe, expect, it } from 'vitest'
import { login, openTab, statusOf, useHarness } from './helpers/harness.ts'

const LONG_TTL_S = 30

describe('with 30 s tokens', () => {
  const e2e = useHarness(LONG_TTL_S)

  it('succeeds after two 503s from the refresh endpoint, with exactly 3 refresh calls', async () => {
    const { harness } = e2e
    const { stats, faults, clock } = harness.server
    const page = await openTab(e2e.profile, harness)
    expect(await login(page)).toBe('authenticated')
    harness.server.reset()
    faults.push({ kind: 'status', status: 503 }, { kind: 'status', status: 503 })
    clock.advance((LONG_TTL_S + 1) * 1000)

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
    const { harness } = e2e
    const { stats, faults, clock } = harness.server
    const page = await openTab(e2e.profile, harness, { timeout: 1000, retries: 0 })
    expect(await login(page)).toBe('authenticated')
    harness.server.reset()
    faults.push({ kind: 'hang' })
    clock.advance((LONG_TTL_S + 1) * 1000)

    const hung = await page.evaluate(async () => {
      const started = performance.now()
      const outcome = await window.auth.fetch('/api/me').then(
        (response) => response.status,
        (error) => `error:${error}`,
      )
      return { outcome, ms: Math.round(performance.now() - started) }
    })
    // The 401 is handed back as it came: plain fetch would have returned it too.
    expect(hung.outcome).toBe(401)
    expect(hung.ms).toBeLessThan(5_000)
    expect(await page.evaluate(() => window.events.flatMap((e) => (e.type === 'error' ? [e.code] : [])))).toEqual([
      'timeout',
    ])
    expect(await statusOf(page)).toEqual({ status: 'authenticated' })

    const after = await page.evaluate(async () => {
      const started = performance.now()
      const status = (await window.auth.fetch('/api/me')).status
      return { status, ms: Math.round(performance.now() - started) }
    })
    console.log(
      `[refresh-faults] hang: settled in ${hung.ms} ms with ${hung.outcome}, ` +
        `next request ${after.status} in ${after.ms} ms; refreshes=${stats.refreshes}`,
    )
    expect(after.status).toBe(200)
    expect(after.ms).toBeLessThan(5_000)
    expect(stats.refreshes).toBe(2)
    expect(stats.refreshFailures).toBe(1)
  })
})

describe('with 3 s tokens', () => {
  const short = useHarness(3)

  it('ends the session once when the refresh endpoint answers 401, with no refresh loop', async () => {
    const { harness } = short
    const { stats, faults } = harness.server
    const page = await openTab(short.profile, harness)
    expect(await login(page)).toBe('authenticated')
    harness.server.reset()
    faults.push({ kind: 'status', status: 401 })

    await page.waitForFunction(() => window.auth.getState().status === 'unauthenticated', undefined, { timeout: 5_000 })
    expect(await statusOf(page)).toEqual({ status: 'unauthenticated', reason: 'session_expired' })
    // A few seconds more (past the old token's lifetime), then the app calls the API.
    await page.waitForTimeout(3_000)
    const next = await page.evaluate(async () => {
      const response = await window.auth.fetch('/api/me')
      return { status: response.status, body: await response.json(), token: await window.auth.getAccessToken() }
    })
    await page.waitForTimeout(500)
    const expired = await page.evaluate(() => window.events.filter((e) => e.type === 'session_expired').length)
    console.log(`[refresh-faults] 401: refreshes=${stats.refreshes} session_expired events=${expired}`)
    expect(next).toEqual({ status: 401, body: { error: 'missing_token' }, token: null })
    expect(expired).toBe(1)
    expect(stats.refreshes).toBe(1)
    expect(stats.refreshFailures).toBe(1)
  })
})
