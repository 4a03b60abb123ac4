// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { getApi, login, postAuth, refresh, refreshCookiePair, refreshSetCookie } from './helpers.ts'

describe('POST /auth/refresh', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true, refreshTtl: 3600 })
  })
  afterEach(() => server.close())

  it('answers with a new access token and a rotated cookie with the same attributes', async () => {
    const session = await login(server)
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 30 })
    expect(body.access_token).not.toBe(session.accessToken)
    const cookie = refreshSetCookie(response)!
    expect(cookie.split(';')[0]).not.toBe(session.cookie)
    expect(cookie).toContain('; Max-Age=3600; Path=/auth; HttpOnly; Secure; SameSite=Strict')
  })

  it('rotates on every refresh', async () => {
    const first = await login(server)
    const second = await refresh(server, first.cookie)
    const third = await refresh(server, second.cookie)
    expect(new Set([first.cookie, second.cookie, third.cookie]).size).toBe(3)
  })

  it('rejects a refresh token that was already rotated', async () => {
    const first = await login(server)
    await refresh(server, first.cookie)
    const replay = await postAuth(server, 'refresh', first.cookie)
    expect(replay.status).toBe(401)
    expect(await replay.json()).toEqual({ error: 'invalid_refresh_token', reason: 'reused' })
  })

  it('revokes the whole family on reuse, so the newest token dies too', async () => {
    const first = await login(server)
    const newest = await refresh(server, first.cookie)
    await postAuth(server, 'refresh', first.cookie)
    const response = await postAuth(server, 'refresh', newest.cookie)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ reason: 'revoked' })
  })

  it('deny-lists the family access tokens on reuse, so /api rejects them at once', async () => {
    const first = await login(server)
    const newest = await refresh(server, first.cookie)
    await postAuth(server, 'refresh', first.cookie)
    expect((await getApi(server, '/api/me', newest.accessToken)).status).toBe(401)
  })

  it('counts a reuse detection once per replay', async () => {
    const first = await login(server)
    await refresh(server, first.cookie)
    await postAuth(server, 'refresh', first.cookie)
    expect(server.stats).toMatchObject({ refreshes: 2, refreshFailures: 1, reuseDetections: 1 })
  })

  it('leaves other sessions of the same user alive when one family is revoked', async () => {
    const stolen = await login(server)
    const other = await login(server)
    await refresh(server, stolen.cookie)
    await postAuth(server, 'refresh', stolen.cookie)
    expect((await postAuth(server, 'refresh', other.cookie)).status).toBe(200)
  })

  it('treats two concurrent refreshes with one cookie as reuse and kills the winner too', async () => {
    const session = await login(server)
    const responses = await Promise.all([
      postAuth(server, 'refresh', session.cookie),
      postAuth(server, 'refresh', session.cookie),
    ])
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401])
    const winner = responses.find((response) => response.status === 200)!
    const { access_token } = await winner.json()
    expect((await postAuth(server, 'refresh', refreshCookiePair(winner))).status).toBe(401)
    expect((await getApi(server, '/api/me', access_token)).status).toBe(401)
  })

  it('answers 401 without a cookie', async () => {
    const response = await postAuth(server, 'refresh')
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_refresh_token', reason: 'missing' })
  })

  it('answers 401 to an unknown token and clears the cookie', async () => {
    const response = await postAuth(server, 'refresh', 'refresh=not-a-token-we-issued')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ reason: 'unknown' })
    expect(refreshSetCookie(response)).toMatch(/^refresh=; Max-Age=0; Path=\/auth; HttpOnly; Secure; SameSite=Strict$/)
  })

  it('answers 401 once the refresh lifetime has passed on the server clock', async () => {
    const session = await login(server)
    server.clock.advance(3600 * 1000)
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ reason: 'expired' })
  })

  it('renews the refresh lifetime with each rotation', async () => {
    const first = await login(server)
    server.clock.advance(3000 * 1000)
    const second = await refresh(server, first.cookie)
    server.clock.advance(3000 * 1000)
    expect((await postAuth(server, 'refresh', second.cookie)).status).toBe(200)
  })
})
