// Scenario 5 — logout reaches every tab.
// Logging out in tab A makes tab B unauthenticated (reason 'logout') by A's broadcast:
// B does nothing itself (no request, no refresh call; its 30 s token and its refresh
// timer are far from due), and B's next auth.fetch goes out without an Authorization
// header: the API answers 401 missing_token and /echo sees no header at all. How long
// B took is printed (milliseconds when idle); the wait is only a hang guard.
import { expect, it } from 'vitest'
import { countEvents, login, openTab, statusOf, useHarness } from './helpers/harness.ts'

const e2e = useHarness(30)

it('ends the session in the other tab at once, and its next request carries no Bearer', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const a = await openTab(profile, harness)
  expect(await login(a)).toBe('authenticated')
  const b = await openTab(profile, harness)
  expect(await statusOf(b)).toEqual({ status: 'authenticated' })
  harness.server.reset()
  await b.evaluate(() => (window.calls.length = 0))

  const loggedOutAt = await a.evaluate(() => {
    const at = Date.now()
    void window.auth.logout()
    return at
  })
  await b.waitForFunction(() => window.auth.getState().status === 'unauthenticated', undefined, { timeout: 20_000 })
  const seenAt = await b.evaluate(() => window.events.findLast((e) => e.type === 'state')!.at)
  expect(await statusOf(b)).toEqual({ status: 'unauthenticated', reason: 'logout' })
  expect(await countEvents(b, 'logout')).toBe(1)
  // B sent nothing to learn it: the news came from A.
  expect(await b.evaluate(() => window.calls)).toEqual([])

  const next = await b.evaluate(async () => {
    const api = await window.auth.fetch('/api/me')
    const echo = await window.auth.fetch('/echo')
    return { status: api.status, body: await api.json(), echo: await echo.json() }
  })
  console.log(`[logout] tab B unauthenticated ${seenAt - loggedOutAt} ms after logout; refreshes=${stats.refreshes}`)
  expect(next).toMatchObject({ status: 401, body: { error: 'missing_token' }, echo: { authorization: null } })
  expect(stats.api401s).toBe(1)
  expect(stats.refreshes).toBe(0)
})
