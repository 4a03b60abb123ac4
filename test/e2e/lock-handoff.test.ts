// The Web Lock hand-off between tabs (DESIGN.md, "Refresh rules"): "A tab that gets
// the lock first checks whether another tab already refreshed while it waited ... and
// then uses that token instead of calling the server". Here tab A's refresh holds the
// lock for a few hundred ms (one injected 503, then A's own retry succeeds) while tab
// B starts a refresh and waits for the lock; B must then take A's new token, so each
// round costs the server exactly A's two calls (the 503 and the success), never a
// third one from B.
//
// In real Chromium, the lock can be granted to B before the BroadcastChannel message
// that A posted just before releasing it reaches B; the SDK waits one setTimeout(0)
// turn for that message, which is not always enough, so B spends the cookie again.
// It lost in 10-45% of rounds here; twenty rounds make it all but certain to show.
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const ROUNDS = 20
// Long-lived tokens: no timer refresh during the test.
const e2e = useHarness(30)

it('a tab that waited for the lock takes the token the holder just got, without calling the server', async () => {
  const { harness, profile } = e2e
  const { stats, faults } = harness.server
  const a = await openTab(profile, harness)
  expect(await login(a)).toBe('authenticated')
  const b = await openTab(profile, harness)
  expect(await b.evaluate(() => window.auth.getState().status)).toBe('authenticated')

  const perRound: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    harness.server.reset()
    faults.push({ kind: 'status', status: 503 }) // A holds the lock through its backoff (150-300 ms)
    const first = forceRefresh(a)
    await a.waitForTimeout(50) // B asks while A holds the lock
    const second = forceRefresh(b)
    expect(await Promise.all([first, second])).toEqual(['ok', 'ok'])
    perRound.push(stats.refreshes)
    expect(stats.reuseDetections).toBe(0)
  }
  const tokens = await Promise.all([a, b].map((tab) => tab.evaluate(() => window.auth.getAccessToken())))
  console.log(`[lock-handoff] refresh calls per round (2 expected): ${perRound.join(' ')}`)
  expect(tokens[0]).toBe(tokens[1])
  expect(perRound).toEqual(Array(ROUNDS).fill(2))
})

function forceRefresh(tab: Page): Promise<string> {
  return tab.evaluate(() =>
    window.auth.refresh().then(
      () => 'ok',
      (error) => `error:${error.code}`,
    ),
  )
}
