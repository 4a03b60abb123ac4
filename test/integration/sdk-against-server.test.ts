// The SDK against the real reference server, through happy-dom's own fetch and
// cookie jar: login, API calls, expiry on the server's clock, refresh, a lost refresh
// answer, logout. happy-dom keeps the Secure __Host-Http-refresh cookie on plain http for
// `localhost` only, which is why the server process is reached by that name.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAuthClient, type AuthClient } from '../../src/index.ts'
import type { FaultPlan } from '../../demo/server/index.ts'
import { startServerProcess } from '../helpers/server-process.ts'

let server: Awaited<ReturnType<typeof startServerProcess>>
let auth: AuthClient

beforeAll(async () => {
  server = await startServerProcess(30)
  // Same origin as the server, so its cookies belong to this page.
  ;(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/`)
})
afterEach(async () => {
  auth?.destroy()
  await server.reset()
})
afterAll(() => server.close())

const newClient = () => (auth = createAuthClient({ crossTab: false }))
const setFaults = (plan: FaultPlan) =>
  fetch(`${server.url}/__test/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan),
  })

describe('the SDK against demo/server', () => {
  it('logs in, calls the API, and refreshes with the cookie once the server says the token expired', async () => {
    newClient()
    await auth.login({ username: 'demo', password: 'demo1234' })
    expect((await auth.fetch('/api/me')).status).toBe(200)
    await server.advanceClock(31_000) // past the 30 s lifetime, on the server only
    const response = await auth.fetch('/api/me')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ sub: expect.any(String), name: 'Demo User' })
    expect(await server.stats()).toMatchObject({ refreshes: 1, reuseDetections: 0 })
  })

  it('restores a session from the refresh cookie in a new client', async () => {
    newClient()
    await auth.login({ username: 'demo', password: 'demo1234' })
    auth.destroy()
    newClient()
    await expect(auth.restore()).resolves.toMatchObject({ status: 'authenticated' })
    expect(await server.stats()).toMatchObject({ refreshes: 1 })
  })

  it('ends the session for good on logout: the cookie is gone and the old token is refused', async () => {
    newClient()
    await auth.login({ username: 'demo', password: 'demo1234' })
    const token = await auth.getAccessToken()
    await auth.logout()
    const direct = await fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } })
    expect(direct.status).toBe(401)
    auth.destroy()
    newClient()
    await expect(auth.restore()).resolves.toEqual({ status: 'unauthenticated', reason: 'no_session' })
  })

  it('keeps the session when a refresh answer is lost after the server rotated (the retry gets the same child)', async () => {
    newClient()
    await auth.login({ username: 'demo', password: 'demo1234' })
    await setFaults({ refresh: [{ kind: 'commit-then-drop' }] })
    await expect(auth.refresh()).resolves.toEqual(expect.any(String))
    expect(await server.stats()).toMatchObject({ refreshOk: 2, refreshReplays: 1, reuseDetections: 0 })
    // The cookie jar holds the live child: the next refresh rotates normally.
    await auth.refresh()
    expect(await server.stats()).toMatchObject({ refreshOk: 3, refreshReplays: 1, reuseDetections: 0 })
  })

  it("ends the session with the server's reason once the refresh token expired", async () => {
    newClient()
    await auth.login({ username: 'demo', password: 'demo1234' })
    await server.advanceClock(8 * 24 * 3600 * 1000) // past the 7-day refresh lifetime
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'session_expired', status: 401, reason: 'expired' })
    expect(auth.getState()).toEqual({ status: 'unauthenticated', reason: 'session_expired' })
  })

  it('rejects wrong credentials with invalid_credentials', async () => {
    newClient()
    await expect(auth.login({ username: 'demo', password: 'nope' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
    })
  })
})
