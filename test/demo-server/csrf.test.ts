// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { login } from './helpers.ts'

describe('CSRF header on /auth/*', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true })
  })
  afterEach(() => server.close())

  it.each(['login', 'refresh', 'logout'])(
    'refuses POST /auth/%s without X-Requested-With with 403 csrf',
    async (path) => {
      const { cookie } = await login(server)
      const response = await fetch(`${server.url}/auth/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ username: 'demo', password: 'demo1234' }),
      })
      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({ error: 'csrf' })
    },
  )

  it('leaves the session untouched when it refuses a request', async () => {
    const { cookie } = await login(server)
    await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { Cookie: cookie } })
    const response = await fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-Requested-With': 'fetch' },
    })
    expect(response.status).toBe(200)
  })
})
