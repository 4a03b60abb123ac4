// @vitest-environment node
// Bounded memory (issue 9: 200,000 refreshes of one session held +138 MiB, 102 MiB still a
// month after logout). Every record goes once what it describes has expired.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../demo/server/index.ts'
import { COOKIE, CSRF, JSON_POST } from './helpers.ts'

const REFRESHES = 20_000
const ZERO = { refreshTokens: 0, families: 0, accessTokens: 0, denyList: 0, loginThrottles: 0 }

describe('memory', () => {
  it(`holds O(1) refresh records over ${REFRESHES} refreshes and returns to 0 once everything expired`, async () => {
    const { app, stats, clock, dispose } = createApp({ testMode: true, issuer: 'http://app.test' })
    const post = (path: string, cookie: string) =>
      app.request(path, { method: 'POST', headers: { ...CSRF, Cookie: cookie } })
    const cookieOf = (response: Response) =>
      response.headers
        .getSetCookie()
        .find((line) => line.startsWith(`${COOKIE}=`))!
        .split(';')[0]!

    await app.request('/auth/login', {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({ username: 'demo', password: 'wrong' }),
    })
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({ username: 'demo', password: 'demo1234' }),
    })
    let cookie = cookieOf(login)
    const started = performance.now()
    for (let i = 0; i < REFRESHES; i++) {
      const response = await post('/auth/refresh', cookie)
      if (response.status !== 200) throw new Error(`refresh ${i} answered ${response.status}`)
      cookie = cookieOf(response)
    }
    const seconds = (performance.now() - started) / 1000
    const afterRefreshes = { ...stats.store }
    expect((await post('/auth/logout', cookie)).status).toBe(204)
    const afterLogout = { ...stats.store }

    // Past every lifetime: the refresh token's (7 days) and the access tokens' (30 s).
    const delay = monitorEventLoopDelay({ resolution: 1 })
    delay.enable()
    clock.advance(8 * 24 * 3600 * 1000)
    const sweepStarted = performance.now()
    await expect.poll(() => stats.store, { timeout: 10_000, interval: 50 }).toEqual(ZERO)
    delay.disable()
    const worstStallMs = delay.max / 1e6
    console.log(
      `[memory] ${REFRESHES} refreshes in ${seconds.toFixed(1)} s (server clock frozen, so every access token stays live);\n` +
        `  after the refreshes ${JSON.stringify(afterRefreshes)}\n  after logout ${JSON.stringify(afterLogout)}\n` +
        `  after the clock passed every expiry: ${JSON.stringify(stats.store)} within ${Math.round(performance.now() - sweepStarted)} ms,\n` +
        `  longest event-loop stall meanwhile ${worstStallMs.toFixed(1)} ms (printed, not asserted: GC and a shared CPU land in it; the slice bound is tested in expiring-map.test.ts)`,
    )
    dispose()
    expect(afterRefreshes).toMatchObject({ refreshTokens: 1, families: 1, accessTokens: REFRESHES + 1 })
    expect(afterLogout).toMatchObject({ refreshTokens: 0, families: 1, denyList: REFRESHES + 1 })
    expect(stats.refreshOk).toBe(REFRESHES)
  }, 120_000)
})
