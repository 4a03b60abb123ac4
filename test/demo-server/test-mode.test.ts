// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type ServerHandle } from '../../demo/server/index.ts'
import { getApi, login, postAuth, refresh } from './helpers.ts'

describe('test-mode routes', () => {
  let server: ServerHandle | undefined
  afterEach(() => server?.close())

  it('GET /__test/stats returns the counters', async () => {
    const testServer = await startServer({ testMode: true })
    server = testServer
    await login(testServer)
    const stats = await (await fetch(`${testServer.url}/__test/stats`)).json()
    expect(stats).toEqual({
      logins: 1,
      loginFailures: 0,
      loginsThrottled: 0,
      refreshes: 0,
      refreshOk: 0,
      refreshReplays: 0,
      refreshFailures: 0,
      refreshFailuresByReason: { missing: 0, expired: 0, revoked: 0, reused: 0, session_limit: 0 },
      reuseDetections: 0,
      apiCalls: 0,
      api401s: 0,
      store: { refreshTokens: 1, families: 1, accessTokens: 1, denyList: 0, loginThrottles: 1 },
    })
  })

  it('counts refresh outcomes by reason, after the handler decided', async () => {
    const testServer = await startServer({ testMode: true })
    server = testServer
    const { cookie } = await login(testServer)
    await postAuth(testServer, 'refresh') // missing
    const child = await refresh(testServer, cookie)
    await refresh(testServer, cookie) // replay
    await refresh(testServer, child.cookie)
    await postAuth(testServer, 'refresh', cookie) // reuse
    expect(testServer.stats).toMatchObject({
      refreshes: 5,
      refreshOk: 3,
      refreshReplays: 1,
      refreshFailures: 2,
      refreshFailuresByReason: { missing: 1, reused: 1, expired: 0, revoked: 0, session_limit: 0 },
      reuseDetections: 1,
    })
  })

  it('counts no refresh that the CSRF guard refused', async () => {
    const testServer = await startServer({ testMode: true })
    server = testServer
    await fetch(`${testServer.url}/auth/refresh`, { method: 'POST' })
    expect(testServer.stats.refreshes).toBe(0)
  })

  it('POST /__test/reset zeroes the counters and drops queued faults', async () => {
    const testServer = await startServer({ testMode: true })
    server = testServer
    await login(testServer)
    testServer.faults.push({ kind: 'drop' })
    const response = await fetch(`${testServer.url}/__test/reset`, { method: 'POST' })
    expect(response.status).toBe(204)
    expect(testServer.stats.logins).toBe(0)
    expect(testServer.faults.pending()).toBe(0)
  })

  it('POST /__test/clock advances the server clock', async () => {
    const testServer = await startServer({ testMode: true, accessTtl: 30, now: () => 1_700_000_000_000 })
    server = testServer
    const { accessToken } = await login(testServer)
    const response = await fetch(`${testServer.url}/__test/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceMs: 30_000 }),
    })
    expect(await response.json()).toEqual({ now: 1_700_000_030_000 })
    expect((await getApi(testServer, '/api/me', accessToken)).status).toBe(401)
  })

  it('POST /__test/clock rejects a body without a numeric advanceMs', async () => {
    const testServer = await startServer({ testMode: true })
    server = testServer
    const response = await fetch(`${testServer.url}/__test/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceMs: 'later' }),
    })
    expect(response.status).toBe(400)
  })

  it.each([
    ['GET', '/__test/stats'],
    ['POST', '/__test/reset'],
    ['POST', '/__test/faults'],
    ['POST', '/__test/clock'],
  ])('has no %s %s outside test mode', async (method, path) => {
    server = await startServer()
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: method === 'POST' ? '{}' : null,
    })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found' })
  })

  it('exposes no test controls on the handle outside test mode', async () => {
    server = await startServer()
    expect(Object.keys(server).sort()).toEqual(['close', 'port', 'url'])
  })
})
