// @vitest-environment node
import { jwtVerify } from 'jose'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createApp, startServer, type App } from '../../demo/server/index.ts'

describe('createApp and server lifecycle', () => {
  it('serves the API through app.request without a listening server', async () => {
    const { app } = createApp({ issuer: 'http://app.test' })
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
      body: JSON.stringify({ username: 'demo', password: 'demo1234' }),
    })
    const { access_token } = await login.json()
    const me = await app.request('/api/me', { headers: { Authorization: `Bearer ${access_token}` } })
    expect(await me.json()).toMatchObject({ sub: 'user-1' })
  })

  it('hands routes the API does not handle to the mount hook', async () => {
    const { app } = createApp({ mount: (app) => app.get('*', (c) => c.html('<div id="app"></div>')) })
    const page = await app.request('/dashboard')
    expect(await page.text()).toBe('<div id="app"></div>')
  })

  it('keeps the API routes ahead of the mount hook', async () => {
    const { app } = createApp({ mount: (app) => app.get('*', (c) => c.html('spa')) })
    const response = await app.request('/api/me')
    expect(response.status).toBe(401)
  })

  it('stops accepting connections once closed', async () => {
    const server = await startServer()
    await fetch(`${server.url}/.well-known/jwks.json`)
    await server.close()
    await expect(fetch(`${server.url}/.well-known/jwks.json`)).rejects.toThrow(TypeError)
  })

  it('refuses a non-positive token lifetime', () => {
    expect(() => createApp({ accessTtl: 0 })).toThrow(RangeError)
  })

  it.each([-1, 3600, Number.NaN])('refuses a refreshGrace of %s with a 3600 s refresh lifetime', (refreshGrace) => {
    expect(() => createApp({ refreshGrace, refreshTtl: 3600 })).toThrow(RangeError)
  })

  it('refuses a refresh secret shorter than 32 bytes', () => {
    expect(() => createApp({ refreshSecret: new Uint8Array(16) })).toThrow(RangeError)
  })

  it('signs with the configured key and publishes its public half', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const signingKey = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const { app } = createApp({ issuer: 'http://app.test', signingKey })
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
      body: JSON.stringify({ username: 'demo', password: 'demo1234' }),
    })
    const { access_token } = await login.json()
    const { payload } = await jwtVerify(access_token, createPublicKey(privateKey), { issuer: 'http://app.test' })
    expect(payload.sub).toBe('user-1')
  })

  it('knows no session of another instance, even one with the same secret: the store is in memory', async () => {
    const secret = new Uint8Array(32).fill(7)
    const request = (app: App, path: string, cookie = '') =>
      app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch', Cookie: cookie },
        body: JSON.stringify({ username: 'demo', password: 'demo1234' }),
      })
    const first = createApp({ refreshSecret: secret }).app
    const cookie = (await request(first, '/auth/login')).headers.getSetCookie()[0]!.split(';')[0]!
    const second = createApp({ refreshSecret: secret }).app
    expect(await (await request(second, '/auth/refresh', cookie)).json()).toMatchObject({ reason: 'expired' })
  })
})
