import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, type AuthClient } from '../../src/index.ts'
import { createFakeAuthServer, deferred, json, type FakeAuthServer } from '../helpers/fake-auth-server.ts'

let server: FakeAuthServer
let client: AuthClient

async function loggedIn(options: Parameters<typeof createAuthClient>[0] = {}, lifetime = 300) {
  server = createFakeAuthServer({ lifetime })
  client = createAuthClient({
    baseUrl: 'https://app.test',
    allowedOrigins: ['https://api.test', /^https:\/\/[a-z]+\.cdn\.test$/],
    crossTab: false,
    fetch: server.fetch,
    ...options,
  })
  await client.login({ password: 'right' })
  return client
}

const lastAuthorization = () => server.calls.at(-1)!.headers.get('authorization')

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  client?.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('which requests get the Bearer header', () => {
  it.each([
    '/api/me',
    'https://app.test/api/me',
    'https://api.test/v1',
    'https://img.cdn.test/x',
    new URL('https://api.test/u'),
  ])('adds it for %s', async (url) => {
    await loggedIn()
    await client.fetch(url)
    expect(lastAuthorization()).toBe(`Bearer ${server.currentToken}`)
  })

  it.each([
    'https://evil.test/api',
    '//evil.test/api',
    'https://app.test.evil.test/',
    'http://app.test/api',
    'https://api.test:8443/',
  ])('leaves %s untouched', async (url) => {
    await loggedIn()
    await client.fetch(url)
    expect(lastAuthorization()).toBeNull()
  })

  it('adds it to a Request object for an allowed origin, keeping its other headers', async () => {
    await loggedIn()
    await client.fetch(new Request('https://app.test/api/me', { headers: { 'X-Trace': '1' } }))
    expect(lastAuthorization()).toBe(`Bearer ${server.currentToken}`)
    expect(server.calls.at(-1)!.headers.get('x-trace')).toBe('1')
  })

  it("keeps the caller's own Authorization header", async () => {
    await loggedIn()
    await client.fetch('/api/me', { headers: { Authorization: 'Basic abc' } })
    expect(lastAuthorization()).toBe('Basic abc')
  })

  it('sends no header with auth: false and does not pass the option on', async () => {
    await loggedIn()
    const spy = vi.fn(server.fetch)
    client.destroy()
    client = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch: spy })
    client.setAccessToken(server.currentToken!)
    await client.fetch('/api/me', { auth: false, method: 'GET' })
    expect(lastAuthorization()).toBeNull()
    expect(spy.mock.calls[0]![1]).toEqual({ method: 'GET' })
  })

  it('sends no header when unauthenticated', async () => {
    await loggedIn()
    await client.logout()
    await client.fetch('/api/me')
    expect(lastAuthorization()).toBeNull()
  })
})

describe('refreshing before the request', () => {
  it('makes exactly one refresh call for 1,000 concurrent requests on an expired token', async () => {
    await loggedIn({}, 60)
    server.answerRefresh(() => new Promise((resolve) => setTimeout(() => resolve(server.issueToken()), 50)))
    vi.setSystemTime(Date.now() + 61_000)
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => client.fetch('/api/me'))
        .map(async (pending) => {
          await vi.advanceTimersByTimeAsync(0)
          return pending
        })
        .concat(vi.advanceTimersByTimeAsync(100) as never),
    )
    expect(server.count('/auth/refresh')).toBe(1)
    expect(responses.slice(0, 1000).filter((response) => response.status === 200)).toHaveLength(1000)
  })

  it('waits for the shared refresh when the token is within the leeway', async () => {
    await loggedIn({}, 300)
    const gate = server.holdRefresh()
    vi.setSystemTime(Date.now() + 250_000)
    const pending = client.fetch('/api/me')
    await vi.advanceTimersByTimeAsync(0)
    expect(server.count('/api/me')).toBe(0)
    gate.resolve(true)
    expect((await pending).status).toBe(200)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('still sends the request, with the token it has, when the refresh fails with a network error', async () => {
    await loggedIn({ retries: 0 }, 60)
    const token = server.currentToken
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    vi.setSystemTime(Date.now() + 61_000)
    const response = await client.fetch('/api/me')
    expect(response.status).toBe(200)
    expect(lastAuthorization()).toBe(`Bearer ${token}`)
  })

  it("aborts only the caller's wait, never the shared refresh", async () => {
    await loggedIn({}, 60)
    const gate = server.holdRefresh()
    vi.setSystemTime(Date.now() + 61_000)
    const controller = new AbortController()
    const aborted = client.fetch('/api/me', { signal: controller.signal })
    const other = client.fetch('/api/items')
    await vi.advanceTimersByTimeAsync(0)
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' })
    gate.resolve(true)
    expect((await other).status).toBe(200)
    expect(server.count('/auth/refresh')).toBe(1)
    expect(server.count('/api/me')).toBe(0)
  })

  it('settles when the refresh call hangs past its timeout', async () => {
    await loggedIn({ retries: 0, timeout: 1_000 }, 60)
    server.answerRefresh(() => new Promise<Response>(() => {}))
    vi.setSystemTime(Date.now() + 61_000)
    const pending = client.fetch('/api/me')
    await vi.advanceTimersByTimeAsync(1_000)
    expect((await pending).status).toBe(200)
    expect(server.count('/api/me')).toBe(1)
  })
})

describe('a 401 answer', () => {
  it('refreshes and retries once with a new token', async () => {
    await loggedIn()
    const old = server.currentToken
    server.revokeCurrentToken()
    const response = await client.fetch('/api/me')
    expect(response.status).toBe(200)
    expect(server.count('/auth/refresh')).toBe(1)
    expect(lastAuthorization()).not.toBe(`Bearer ${old}`)
  })

  it('returns a second 401 as it is, without a loop', async () => {
    await loggedIn()
    let apiCalls = 0
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('/api/')) {
        apiCalls++
        return json({ error: 'forbidden for other reasons' }, 401)
      }
      return server.fetch(input, init)
    }
    client.destroy()
    client = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch })
    await client.restore()
    const response = await client.fetch('/api/me')
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'forbidden for other reasons' })
    expect(apiCalls).toBe(2)
    expect(server.count('/auth/refresh')).toBe(2)
  })

  it('does not refresh when another refresh already replaced the token it carried', async () => {
    await loggedIn()
    const stale = server.currentToken!
    const api = deferred<Response>()
    let slowCalls = 0
    const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/api/slow') && slowCalls++ === 0 ? api.promise : server.fetch(input, init)
    client.destroy()
    client = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch })
    client.setAccessToken(stale)
    const pending = client.fetch('/api/slow')
    await client.refresh()
    const refreshes = server.count('/auth/refresh')
    api.resolve(json({}, 401))
    expect((await pending).status).toBe(200)
    expect(server.count('/auth/refresh')).toBe(refreshes)
  })

  it.each([
    [
      'a JSON string',
      () => ({ method: 'POST', body: JSON.stringify({ a: 'value' }), headers: { 'content-type': 'application/json' } }),
    ],
    [
      'FormData',
      () => {
        const form = new FormData()
        form.append('field', 'value')
        return { method: 'POST', body: form }
      },
    ],
    ['URLSearchParams', () => ({ method: 'POST', body: new URLSearchParams({ q: 'value' }) })],
  ])('replays a body given as %s', async (_, makeInit) => {
    await loggedIn()
    server.revokeCurrentToken()
    const response = await client.fetch('/api/echo', makeInit() as RequestInit)
    expect(response.status).toBe(200)
    const bodies = server.calls.filter((call) => call.path === '/api/echo').map((call) => call.body)
    expect(bodies).toHaveLength(2)
    expect(bodies[0]).toContain('value')
    expect(bodies[1]).toContain('value')
    // A multipart boundary is random per send; the content between boundaries is what must match.
    const content = (body: string) => body.replaceAll(body.split('\r\n')[0]!, '')
    expect(content(bodies[1]!)).toBe(content(bodies[0]!))
  })

  it('replays the body of a Request object', async () => {
    await loggedIn()
    server.revokeCurrentToken()
    const response = await client.fetch(new Request('https://app.test/api/echo', { method: 'POST', body: 'payload' }))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ body: 'payload' })
  })

  it('does not retry a streamed body it cannot replay', async () => {
    await loggedIn()
    server.revokeCurrentToken()
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) })
    const response = await client.fetch('/api/upload', { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(401)
    expect(server.count('/api/upload')).toBe(1)
    expect(server.count('/auth/refresh')).toBe(0)
  })

  it('returns the original 401 when the refresh is refused', async () => {
    await loggedIn()
    server.revokeCurrentToken()
    server.answerRefresh(json({ error: 'revoked' }, 401))
    const response = await client.fetch('/api/me')
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_token' })
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', reason: 'session_expired' })
  })

  it('does not refresh on a 401 from a foreign origin', async () => {
    await loggedIn()
    const response = await client.fetch('https://evil.test/api')
    expect(response.status).toBe(401)
    expect(server.count('/auth/refresh')).toBe(0)
  })
})

describe('when the refresh endpoint misbehaves', () => {
  it('makes no refresh storm on unusable answers: at most one call and one error per backoff step', async () => {
    await loggedIn({ retries: 0 }, 10)
    server.answerRefresh(...Array.from({ length: 500 }, () => () => json({ hello: 'not a token' })))
    const errors: string[] = []
    client.on('error', (error) => errors.push(error.code))
    const before = server.count('/auth/refresh')
    // An app polling every 200 ms for 30 s, from the moment the token needs a refresh.
    await vi.advanceTimersByTimeAsync(8_000)
    for (let elapsed = 0; elapsed < 30_000; elapsed += 200) {
      void client.fetch('/api/poll')
      await vi.advanceTimersByTimeAsync(200)
    }
    const calls = server.count('/auth/refresh') - before
    // Backoff 1, 2, 4, 8, 16 s after the first failure: 6 attempts fit in 30 s.
    expect(calls).toBeLessThanOrEqual(6)
    expect(errors).toHaveLength(calls)
    expect(new Set(errors)).toEqual(new Set(['invalid_response']))
    expect(client.getState().status).toBe('authenticated')
  })

  it('sends each request within 2 × timeout when a refresh hangs, with the token it has', async () => {
    await loggedIn({ timeout: 1_000, random: () => 0 }, 10)
    const token = server.currentToken
    server.answerRefresh(...Array.from({ length: 10 }, () => () => new Promise<Response>(() => {})))
    await vi.advanceTimersByTimeAsync(8_000) // within the leeway: the next request waits for a refresh
    let answered: Response | undefined
    void client.fetch('/api/me').then((response) => (answered = response))
    await vi.advanceTimersByTimeAsync(1_999)
    expect(answered).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(answered?.status).toBe(200)
    expect(lastAuthorization()).toBe(`Bearer ${token}`)
  })

  it('warns in development when an origin that is not allowed answers 401 to a session that has a token', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await loggedIn()
    await client.fetch('https://other.test/me')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('`allowedOrigins`'))
    expect(warn.mock.calls.join()).not.toContain(server.currentToken)
  })
})
