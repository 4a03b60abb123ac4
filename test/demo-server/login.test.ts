// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
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

  it('sets the refresh cookie HttpOnly, Secure, SameSite=Strict on Path=/auth for the refresh lifetime', async () => {
    const cookie = refreshSetCookie(await postLogin(server))
    const [pair, ...attributes] = cookie!.split('; ')
    expect(pair).toMatch(/^refresh=[\w-]{43}$/)
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=604800', 'Path=/auth', 'SameSite=Strict', 'Secure'])
  })

  it('omits Secure when secureCookie is false', async () => {
    const plain = await startServer({ secureCookie: false })
    const cookie = refreshSetCookie(await postLogin(plain))
    await plain.close()
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict$/)
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

  it('counts successful logins only', async () => {
    await postLogin(server)
    await postLogin(server, { username: 'demo', password: 'wrong' })
    expect(server.stats.logins).toBe(1)
  })
})
