import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, type AuthClient } from '../src/index.ts'
import { createKy } from '../src/ky.ts'
import { createFakeAuthServer, json, type FakeAuthServer } from './helpers/fake-auth-server.ts'

let server: FakeAuthServer
let auth: AuthClient
const noDelay = { limit: 2, delay: () => 0 }

async function setup(fetch?: typeof globalThis.fetch) {
  server = createFakeAuthServer()
  auth = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch: fetch ?? server.fetch })
  await auth.login({ password: 'right' })
}

const authorizationOf = (path: string) =>
  server.calls.filter((call) => call.path === path).map((call) => call.headers.get('authorization'))

beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => {}))
afterEach(() => {
  auth?.destroy()
  vi.restoreAllMocks()
})

describe('createKy', () => {
  it('sends the Bearer header to the app origin and never to a foreign one', async () => {
    await setup()
    const api = createKy(auth, { prefix: 'https://app.test/api', throwHttpErrors: false })
    expect(await api.get('me').json()).toMatchObject({ ok: true })
    await createKy(auth, { throwHttpErrors: false }).get('https://evil.test/x')
    expect(authorizationOf('/api/me')).toEqual([`Bearer ${server.currentToken}`])
    expect(authorizationOf('/x')).toEqual([null])
  })

  it('refreshes after a 401 and replays a json body once', async () => {
    await setup()
    server.revokeCurrentToken()
    const api = createKy(auth, { prefix: 'https://app.test' })
    const answer = await api.post('api/echo', { json: { hello: 'world' } }).json<{ body: string }>()
    expect(JSON.parse(answer.body)).toEqual({ hello: 'world' })
    expect(server.count('/auth/refresh')).toBe(1)
    expect(server.count('/api/echo')).toBe(2)
  })

  it("sends ky's own retries through auth.fetch", async () => {
    let attempts = 0
    const flaky: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url.endsWith('/api/flaky') && ++attempts < 3) {
        await server.fetch(input, init)
        return json({ error: 'busy' }, 503)
      }
      return server.fetch(input, init)
    }
    await setup(flaky)
    const api = createKy(auth, { prefix: 'https://app.test', retry: noDelay })
    await api.get('api/flaky').json()
    expect(authorizationOf('/api/flaky')).toEqual(Array(3).fill(`Bearer ${server.currentToken}`))
  })

  it('keeps headers set by a beforeRequest hook and works after extend()', async () => {
    await setup()
    const api = createKy(auth, { prefix: 'https://app.test' }).extend({
      hooks: { beforeRequest: [({ request }) => request.headers.set('X-Trace', 'abc')] },
    })
    await api.get('api/me').json()
    const call = server.calls.at(-1)!
    expect(call.headers.get('x-trace')).toBe('abc')
    expect(call.headers.get('authorization')).toBe(`Bearer ${server.currentToken}`)
  })

  it('keeps an Authorization header the caller set through ky', async () => {
    await setup()
    await createKy(auth, { prefix: 'https://app.test', throwHttpErrors: false }).get('api/me', {
      headers: { Authorization: 'Basic x' },
    })
    expect(authorizationOf('/api/me')).toEqual(['Basic x'])
  })
})
