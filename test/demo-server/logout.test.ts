// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { COOKIE, getApi, login, postAuth, refresh, refreshSetCookie } from './helpers.ts'

describe('POST /auth/logout', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true })
  })
  afterEach(() => server.close())

  it('answers 204 and clears the cookie with the same attributes', async () => {
    const { cookie } = await login(server)
    const response = await postAuth(server, 'logout', cookie)
    expect(response.status).toBe(204)
    expect(refreshSetCookie(response)).toBe(`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`)
  })

  it('revokes the family, so the refresh cookie stops working', async () => {
    const { cookie } = await login(server)
    await postAuth(server, 'logout', cookie)
    const response = await postAuth(server, 'refresh', cookie)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_grant', reason: 'revoked' })
  })

  it('revokes the family with a spent cookie too, and its newest token with it', async () => {
    const first = await login(server)
    const second = await refresh(server, first.cookie)
    const third = await refresh(server, second.cookie)
    expect((await postAuth(server, 'logout', first.cookie)).status).toBe(204)
    expect(await (await postAuth(server, 'refresh', third.cookie)).json()).toMatchObject({ reason: 'revoked' })
    expect((await getApi(server, '/api/me', third.accessToken)).status).toBe(401)
  })

  it('is idempotent: a second logout with the same cookie answers 204 again', async () => {
    const { cookie } = await login(server)
    const statuses = []
    for (let i = 0; i < 2; i++) statuses.push((await postAuth(server, 'logout', cookie)).status)
    expect(statuses).toEqual([204, 204])
  })

  it('answers 204 to a cookie it never issued, and clears it', async () => {
    const response = await postAuth(server, 'logout', `${COOKIE}=garbage`)
    expect(response.status).toBe(204)
    expect(refreshSetCookie(response)).toContain('Max-Age=0')
  })

  it('deny-lists the access token, so /api/me rejects it at once', async () => {
    const { accessToken, cookie } = await login(server)
    expect((await getApi(server, '/api/me', accessToken)).status).toBe(200)
    await postAuth(server, 'logout', cookie)
    const response = await getApi(server, '/api/me', accessToken)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_token', reason: 'revoked' })
  })

  it('deny-lists access tokens from earlier refreshes of the family too', async () => {
    const first = await login(server)
    const second = await refresh(server, first.cookie)
    await postAuth(server, 'logout', second.cookie)
    expect((await getApi(server, '/api/me', first.accessToken)).status).toBe(401)
  })

  it('leaves the other sessions of the same user alive', async () => {
    const mine = await login(server)
    const other = await login(server)
    await postAuth(server, 'logout', mine.cookie)
    expect((await getApi(server, '/api/me', other.accessToken)).status).toBe(200)
  })

  it('answers 204 without a cookie', async () => {
    const response = await postAuth(server, 'logout')
    expect(response.status).toBe(204)
  })
})
