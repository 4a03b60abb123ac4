// Scenario 3 — four tabs of one profile share one refresher.
// Four tabs poll /api/me every 300 ms for five token lifetimes. The server sees no 401
// at /api (every request carried a live token), no refresh-token reuse (no two tabs
// spent the same rotated cookie), and one refresh per token, not one per tab: at most
// LIFETIMES + 1 refresh calls (four tabs refreshing on their own would make ~24).
//
// Why 5 s tokens here and not 3 s: the server writes `exp` in whole seconds
// (floor(now) + ttl), so a token dies up to 1 s before `expires_in` says. With 3 s
// tokens the default leeway is 0.6 s (20%), and a request sent in the last few
// hundred ms before the timer's refresh can meet a real 401 (the SDK then refreshes
// and retries, so the caller still gets 200, but the 401 is counted). At 5 s the
// default leeway is 1 s, which covers that rounding; see the report.
//
// The window starts right after a refresh, so the count is deterministic: one refresh
// per 3.75-4 s (lifetime - leeway - jitter up to 5%) gives 6 in 25 s, never 7.
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const LIFETIME_S = 5
const LIFETIMES = 5
const POLL_MS = 300

const e2e = useHarness(LIFETIME_S)

it('keeps four polling tabs authenticated with one refresh per token and no 401', async () => {
  const { harness, profile } = e2e
  const { stats } = harness.server
  const first = await openTab(profile, harness)
  expect(await login(first)).toBe('authenticated')
  const tabs = [first]
  for (let i = 1; i < 4; i++) tabs.push(await openTab(profile, harness))
  for (const tab of tabs) expect(await tab.evaluate(() => window.auth.getState().status)).toBe('authenticated')
  expect(stats.refreshes).toBe(1) // the first tab's restore, in an empty profile; the others asked the tabs

  await first.waitForFunction(() => window.events.some((e) => e.type === 'refresh'), undefined, { timeout: 10_000 })
  harness.server.reset()
  const started = Date.now()
  await Promise.all(tabs.map(startPolling))
  await new Promise((resolve) => setTimeout(resolve, LIFETIMES * LIFETIME_S * 1000))
  const results = await Promise.all(tabs.map(stopPolling))
  const windowMs = Date.now() - started
  const refreshTimes = await first.evaluate(() => window.events.filter((e) => e.type === 'refresh').map((e) => e.at))

  const gaps = refreshTimes.slice(1).map((at, i) => at - refreshTimes[i]!)
  console.log(
    `[many-tabs] window=${windowMs}ms refreshes=${stats.refreshes} apiCalls=${stats.apiCalls} api401s=${stats.api401s} ` +
      `reuse=${stats.reuseDetections} perTab=${results.map((r) => r.length).join('/')} refreshGapsMs=${gaps.join(',')}`,
  )
  for (const statuses of results) {
    expect(statuses.length).toBeGreaterThan((LIFETIMES * LIFETIME_S * 1000) / POLL_MS / 2)
    expect(statuses.filter((status) => status !== 200)).toEqual([])
  }
  expect(stats.api401s).toBe(0)
  expect(stats.reuseDetections).toBe(0)
  expect(stats.refreshFailures).toBe(0)
  expect(stats.refreshes).toBeGreaterThanOrEqual(LIFETIMES - 1)
  expect(stats.refreshes).toBeLessThanOrEqual(LIFETIMES + 1)
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
    { every: POLL_MS, offset: (index * POLL_MS) / 4 },
  )
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
