// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { postLogin, refreshSetCookie } from './helpers.ts'

describe('POST /auth/login', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true })
  })
  afterEach(() => server.close())

  it('answers valid credentials with a Bearer access token and its lifetime', async () => {
    const response = await postLogin(server)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json()
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 30,
    })
  })

  it('sets __Host-Http-refresh HttpOnly, Secure, SameSite=Strict on Path=/ without Domain, for the refresh lifetime', async () => {
    const cookie = refreshSetCookie(await postLogin(server))
    const [pair, ...attributes] = cookie!.split('; ')
    expect(pair).toMatch(/^__Host-Http-refresh=[\w-]+\.0\.[\w-]{43}$/)
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=604800', 'Path=/', 'SameSite=Strict', 'Secure'])
  })

  it('uses the configured cookie name', async () => {
    const named = await startServer({ cookieName: '__Host-Http-session' })
    const response = await postLogin(named)
    await named.close()
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-Http-session=/)
  })

  it('omits Secure when secureCookie is false, with a name the browser accepts without it', async () => {
    const plain = await startServer({ secureCookie: false, cookieName: 'refresh' })
    const cookie = (await postLogin(plain)).headers.getSetCookie()[0]
    await plain.close()
    expect(cookie).toMatch(/^refresh=.*; Path=\/; HttpOnly; SameSite=Strict$/)
  })

  it('refuses secureCookie: false with a __Host- name, which browsers would drop', () => {
    expect(() => createApp({ secureCookie: false })).toThrow(/cookieName/)
  })

  it('logs in the second demo user too', async () => {
    const response = await postLogin(server, { username: 'alice', password: 'wonderland' })
    expect(response.status).toBe(200)
  })

  it('rejects a wrong password with 401 invalid_credentials and no cookie', async () => {
    const response = await postLogin(server, { username: 'demo', password: 'wrong' })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_credentials' })
    expect(refreshSetCookie(response)).toBeUndefined()
  })

  it('answers an unknown user exactly like a wrong password', async () => {
    const response = await postLogin(server, { username: 'mallory', password: 'demo1234' })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_credentials' })
  })

  it('counts logins by outcome', async () => {
    await postLogin(server)
    await postLogin(server, { username: 'demo', password: 'wrong' })
    expect(server.stats).toMatchObject({ logins: 1, loginFailures: 1, loginsThrottled: 0 })
  })
})
