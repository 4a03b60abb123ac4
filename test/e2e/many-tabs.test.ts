// Scenario 3 — four tabs of one profile share one refresher.
// Four tabs poll /api/me every 300 ms while their refresh timers replace the token
// several times. The server sees no 401 at /api (every request carried a live token),
// no refresh-token reuse (no two tabs spent the same rotated cookie), and one refresh
// per token, not one per tab: every tab's timer comes due at about the same time, yet
// consecutive refresh calls (whichever tab made them) are a token period apart, where
// tabs refreshing on their own would make calls milliseconds apart.
//
// Why 8 s tokens refreshed 4 s before expiry: the server writes `exp` in whole seconds
// (floor(now) + ttl), so a token dies up to 1 s before `expires_in` says; the other
// 3 s are the margin for a request sent just before the refresh to reach the server
// while the token is alive, however busy the machine. The test waits for conditions
// (a number of refreshes, a number of polls), never for a fixed time.
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const LIFETIME_S = 8
const LEEWAY_S = 4
const TABS = 4
const POLL_MS = 300
const ROTATIONS = 3
const MIN_POLLS = 10
// A refresh is due LIFETIME - LEEWAY after the token arrived, minus a jitter of at most 5 %
// of the lifetime; timers fire late under load, never early. Half of that is a safe floor.
const MIN_GAP_MS = ((LIFETIME_S - LEEWAY_S - 0.05 * LIFETIME_S) * 1000) / 2
// A hang guard, not a speed limit: ROTATIONS take ~12 s on an idle machine.
const WAIT = { timeout: 45_000, interval: 100 }

const e2e = useHarness(LIFETIME_S)

it('keeps four polling tabs authenticated with one refresh per token and no 401', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const options = { leeway: LEEWAY_S }
  const first = await openTab(profile, harness, options)
  expect(await login(first)).toBe('authenticated')
  const tabs = [first]
  for (let i = 1; i < TABS; i++) tabs.push(await openTab(profile, harness, options))
  for (const tab of tabs) expect(await tab.evaluate(() => window.auth.getState().status)).toBe('authenticated')

  // No counter is reset: the server's totals are compared with every call the tabs made
  // since they loaded, so a refresh in flight at any moment is counted on both sides.
  const started = Date.now()
  await Promise.all(tabs.map(startPolling))
  await expect
    .poll(async () => {
      const polls = await Promise.all(tabs.map(pollCount))
      return stats.refreshes >= 1 + ROTATIONS && Math.min(...polls) >= MIN_POLLS
    }, WAIT)
    .toBe(true)
  const results = await Promise.all(tabs.map(stopPolling))
  const windowMs = Date.now() - started

  const calls = (await Promise.all(tabs.map((tab) => tab.evaluate(() => window.calls)))).flat()
  const loggedInAt = calls.find((call) => call.path === '/auth/login')!.at
  const refreshCalls = calls.filter((call) => call.path === '/auth/refresh').map((call) => call.at)
  const afterLogin = refreshCalls.filter((at) => at > loggedInAt).sort((x, y) => x - y)
  const gaps = afterLogin.slice(1).map((at, i) => at - afterLogin[i]!)
  console.log(
    `[many-tabs] window=${windowMs}ms refreshes=${stats.refreshes} apiCalls=${stats.apiCalls} api401s=${stats.api401s} ` +
      `reuse=${stats.reuseDetections} perTab=${results.map((r) => r.length).join('/')} refreshGapsMs=${gaps.join(',')}`,
  )
  for (const statuses of results) expect(statuses.filter((status) => status !== 200)).toEqual([])
  expect(stats.api401s).toBe(0)
  expect(stats.reuseDetections).toBe(0)
  // The first tab's restore, in an empty profile (no cookie yet); the other tabs asked the open ones.
  expect(refreshCalls.length - afterLogin.length).toBe(1)
  expect(stats.refreshFailures).toBe(1)
  // Every refresh call the server saw came from these tabs, one token period apart.
  expect(refreshCalls).toHaveLength(stats.refreshes)
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_GAP_MS)
})

/** Polls /api/me through auth.fetch every POLL_MS, each tab at its own phase. */
function startPolling(tab: Page, index: number): Promise<void> {
  return tab.evaluate(
    ({ every, offset }) => {
      const statuses: Array<number | string> = []
      const inFlight = new Set<Promise<unknown>>()
      const poll = () => {
        const call = window.auth.fetch('/api/me').then(
          (response) => statuses.push(response.status),
          (error) => statuses.push(`error:${error}`),
        )
        inFlight.add(call)
        void call.finally(() => inFlight.delete(call))
      }
      const polling = { statuses, inFlight, timer: undefined as ReturnType<typeof setInterval> | undefined }
      setTimeout(() => (polling.timer = setInterval(poll, every)), offset)
      Object.assign(window, { polling })
    },
    { every: POLL_MS, offset: (index * POLL_MS) / TABS },
  )
}

function pollCount(tab: Page): Promise<number> {
  return tab.evaluate(() => (window as unknown as { polling: Polling }).polling.statuses.length)
}

function stopPolling(tab: Page): Promise<Array<number | string>> {
  return tab.evaluate(async () => {
    const { statuses, inFlight, timer } = (window as unknown as { polling: Polling }).polling
    clearInterval(timer)
    await Promise.all(inFlight)
    return statuses
  })
}

interface Polling {
  statuses: Array<number | string>
  inFlight: Set<Promise<unknown>>
  timer: ReturnType<typeof setInterval> | undefined
}
