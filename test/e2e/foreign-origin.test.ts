// Scenario 6 — the Bearer token goes to our origin only.
// With allowedOrigins: [], auth.fetch adds the token to same-origin calls (relative or
// absolute URLs, /echo shows the exact header) but never to another origin: the header
// recorder (another port, so another origin) sees no Authorization header and no CORS
// preflight, which an Authorization header would have forced.
import { expect, it, onTestFinished } from 'vitest'
import { startHeaderRecorder } from '../../demo/server/index.ts'
import { login, openTab, useHarness } from './helpers/harness.ts'

const e2e = useHarness(30)

it('sends the Bearer token to its own origin and never to a foreign one', async () => {
  const { harness, profile } = e2e
  const recorder = await startHeaderRecorder()
  onTestFinished(() => recorder.close())
  const page = await openTab(profile, harness)
  expect(await login(page)).toBe('authenticated')

  const seen = await page.evaluate(async (foreign) => {
    const token = await window.auth.getAccessToken()
    const echo = async (input: string) => {
      const body = (await (await window.auth.fetch(input)).json()) as { authorization: string | null }
      return body.authorization
    }
    const statuses = [
      (await window.auth.fetch(`${foreign}/absolute`)).status,
      (await window.auth.fetch(new Request(`${foreign}/request-object`))).status,
      (await window.auth.fetch(new URL('/url-object?x=1', foreign))).status,
      (await window.auth.fetch(`${foreign}/post`, { method: 'POST', body: 'x' })).status,
    ]
    return {
      expected: `Bearer ${token}`,
      relative: await echo('/echo'),
      absolute: await echo(`${location.origin}/echo`),
      api: (await window.auth.fetch('/api/me')).status,
      foreignStatuses: statuses,
    }
  }, recorder.url)

  expect(seen.relative).toBe(seen.expected)
  expect(seen.absolute).toBe(seen.expected)
  expect(seen.api).toBe(200)
  expect(seen.foreignStatuses).toEqual([200, 200, 200, 200])
  const recorded = recorder.requests.map((r) => `${r.method} ${r.path}`)
  console.log(
    `[foreign-origin] recorder saw ${recorded.join(', ')}; refreshes=${harness.server.stats.refreshes} (the restore)`,
  )
  expect(recorded).toEqual(['GET /absolute', 'GET /request-object', 'GET /url-object?x=1', 'POST /post'])
  for (const request of recorder.requests) {
    expect(request.headers.authorization).toBeUndefined()
    expect(request.headers['access-control-request-headers']).toBeUndefined()
  }
})
