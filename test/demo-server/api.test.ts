// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { getApi, login } from './helpers.ts'

describe('protected /api routes', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true, accessTtl: 30 })
  })
  afterEach(() => server.close())

  it('GET /api/me returns the profile from the token', async () => {
    const { accessToken } = await login(server, 'alice', 'wonderland')
    const response = await getApi(server, '/api/me', accessToken)
    expect(await response.json()).toEqual({
      sub: 'user-2',
      name: 'Alice Liddell',
      email: 'alice@example.com',
      scope: 'profile api:read api:write',
    })
  })

  it('GET /api/items returns a small list', async () => {
    const { accessToken } = await login(server)
    const body = await (await getApi(server, '/api/items', accessToken)).json()
    expect(body.items.length).toBeGreaterThan(0)
  })

  it('GET /api/slow answers after the requested wait', async () => {
    const { accessToken } = await login(server)
    const response = await getApi(server, '/api/slow?ms=0', accessToken)
    expect(await response.json()).toEqual({ waited: 0 })
  })

  it('GET /api/slow is cut short when the server closes', async () => {
    const { accessToken } = await login(server)
    const pending = getApi(server, '/api/slow?ms=5000', accessToken)
    await vi.waitFor(() => expect(server.stats.apiCalls).toBe(1))
    await server.close()
    await expect(pending).rejects.toThrow(TypeError)
  })

  it('GET /api/slow rejects a wait that is not a non-negative number', async () => {
    const { accessToken } = await login(server)
    expect((await getApi(server, '/api/slow?ms=-5', accessToken)).status).toBe(400)
    expect((await getApi(server, '/api/slow?ms=soon', accessToken)).status).toBe(400)
  })

  it('answers a request without a token with 401 and a Bearer challenge', async () => {
    const response = await getApi(server, '/api/me')
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(await response.json()).toEqual({ error: 'missing_token', reason: 'missing' })
  })

  it('rejects a token with a tampered payload as invalid_token', async () => {
    const { accessToken } = await login(server)
    const [header, payload, signature] = accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url')
    const response = await getApi(server, '/api/me', `${header}.${forged}.${signature}`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    expect(await response.json()).toEqual({ error: 'invalid_token', reason: 'invalid' })
  })

  it('rejects a token that is not a JWT', async () => {
    const response = await getApi(server, '/api/me', 'not-a-jwt')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'invalid_token' })
  })

  it('rejects a token once the server clock passes its exp', async () => {
    const { accessToken } = await login(server)
    server.clock.advance(29_000)
    expect((await getApi(server, '/api/me', accessToken)).status).toBe(200)
    server.clock.advance(1_000)
    const response = await getApi(server, '/api/me', accessToken)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_token', reason: 'expired' })
  })

  it('rejects a token from another server instance with the same issuer', async () => {
    const other = await startServer({ testMode: true })
    const { accessToken } = await login(other)
    await other.close()
    // createApp with the same iss isolates the check to the signing key.
    const { app } = createApp({ issuer: other.url })
    const response = await app.request('/api/me', { headers: { Authorization: `Bearer ${accessToken}` } })
    expect(response.status).toBe(401)
  })

  it('counts api calls and 401s', async () => {
    const { accessToken } = await login(server)
    await getApi(server, '/api/me', accessToken)
    await getApi(server, '/api/me')
    expect(server.stats).toMatchObject({ apiCalls: 2, api401s: 1 })
  })
})
