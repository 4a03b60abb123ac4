// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createApp, startServer } from '../../demo/server/index.ts'

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
})
