// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { getApi, login, postAuth, refresh, refreshSetCookie } from './helpers.ts'

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
    expect(refreshSetCookie(response)).toBe('refresh=; Max-Age=0; Path=/auth; HttpOnly; Secure; SameSite=Strict')
  })

  it('revokes the family, so the refresh cookie stops working', async () => {
    const { cookie } = await login(server)
    await postAuth(server, 'logout', cookie)
    const response = await postAuth(server, 'refresh', cookie)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ reason: 'revoked' })
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
