import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, isAuthError, type AuthClient, type AuthState } from '../../src/index.ts'
import { makeJwt } from '../helpers/make-jwt.ts'
import { createFakeAuthServer, json, type FakeAuthServer } from '../helpers/fake-auth-server.ts'

const BASE = 'https://app.test'
let server: FakeAuthServer
let client: AuthClient

function setup(options: Parameters<typeof createAuthClient>[0] = {}, lifetime = 300) {
  server = createFakeAuthServer({ lifetime })
  client = createAuthClient({ baseUrl: BASE, crossTab: false, fetch: server.fetch, ...options })
  return client
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(Math, 'random').mockReturnValue(0)
})
afterEach(() => {
  client?.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('restore', () => {
  it('gets a token with one refresh call when the cookie is valid', async () => {
    setup()
    const state = await client.restore()
    expect(state.status).toBe('authenticated')
    expect(state.status === 'authenticated' && state.claims.sub).toBe('user-1')
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('resolves unauthenticated (no_session) without an event when there is no cookie', async () => {
    setup()
    const expired = vi.fn()
    client.on('session_expired', expired)
    server.answerRefresh(json({ error: 'no_session' }, 401))
    await expect(client.restore()).resolves.toEqual({ status: 'unauthenticated', reason: 'no_session' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('rejects with network and stays unknown when the server cannot be reached', async () => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(client.restore()).rejects.toMatchObject({ name: 'AuthError', code: 'network' })
    expect(client.getState()).toEqual({ status: 'unknown' })
  })

  it('is idempotent: concurrent and repeated calls make one refresh call', async () => {
    setup()
    await Promise.all([client.restore(), client.restore(), client.restore()])
    await client.restore()
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('can be tried again after a network failure', async () => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    await expect(client.restore()).rejects.toThrow()
    await expect(client.restore()).resolves.toMatchObject({ status: 'authenticated' })
  })
})

describe('login and logout', () => {
  it('authenticates with the login answer', async () => {
    setup()
    const state = await client.login({ username: 'demo', password: 'right' })
    expect(state.status).toBe('authenticated')
    expect(server.calls[0]).toMatchObject({ method: 'POST', path: '/auth/login' })
    expect(server.calls[0]!.headers.get('x-requested-with')).toBe('XMLHttpRequest')
    expect(JSON.parse(server.calls[0]!.body!)).toEqual({ username: 'demo', password: 'right' })
  })

  it('rejects invalid_credentials with the status on a 401', async () => {
    setup()
    await expect(client.login({ password: 'wrong' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
    })
    expect(client.getState()).toEqual({ status: 'unknown' })
  })

  it('clears the session at once and resolves even when the logout call fails', async () => {
    const failing = createFakeAuthServer()
    setup({
      fetch: (input, init) =>
        String(input).endsWith('/auth/logout') ? Promise.reject(new TypeError('offline')) : failing.fetch(input, init),
    })
    await client.login({ password: 'right' })
    const done = client.logout()
    expect(client.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
    await expect(done).resolves.toBeUndefined()
    await expect(client.getAccessToken()).resolves.toBeNull()
  })

  it('drops a refresh that was in flight when logout happened', async () => {
    setup()
    await client.login({ password: 'right' })
    const gate = server.holdRefresh()
    const onRefresh = vi.fn()
    client.on('refresh', onRefresh)
    const refreshing = client.refresh()
    await vi.advanceTimersByTimeAsync(0)
    await client.logout()
    gate.resolve(true)
    await expect(refreshing).rejects.toMatchObject({ code: 'session_expired' })
    expect(client.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
    expect(onRefresh).not.toHaveBeenCalled()
    await expect(client.getAccessToken()).resolves.toBeNull()
  })

  it('drops a refresh that was in flight when destroy happened', async () => {
    setup()
    await client.login({ password: 'right' })
    const before = client.getState()
    const gate = server.holdRefresh()
    const refreshing = client.refresh()
    await vi.advanceTimersByTimeAsync(0)
    client.destroy()
    gate.resolve(true)
    await expect(refreshing).rejects.toMatchObject({ code: 'destroyed' })
    expect(client.getState()).toBe(before)
  })
})

describe('bad answers from the auth server', () => {
  it.each([
    ['HTML', () => new Response('<html>oops</html>', { headers: { 'content-type': 'text/html' } })],
    ['an empty body', () => new Response('', { headers: { 'content-type': 'application/json' } })],
    ['200 with no token', () => json({ ok: true })],
    ['a token that is not a string', () => json({ access_token: { nested: true } })],
    ['a JSON array', () => json([1, 2])],
  ])('rejects a login answered with %s as invalid_token and stays as it was', async (_, answer) => {
    setup({ fetch: async () => answer() })
    await expect(client.login({ password: 'right' })).rejects.toMatchObject({ code: 'invalid_token', status: 200 })
    expect(client.getState()).toEqual({ status: 'unknown' })
  })

  it.each([
    ['HTML', () => new Response('<html>oops</html>', { headers: { 'content-type': 'text/html' } })],
    ['an empty body', () => new Response(null, { status: 200 })],
  ])('rejects a refresh answered with %s as invalid_token without ending the session', async (_, answer) => {
    setup({ retries: 0 })
    await client.login({ password: 'right' })
    server.answerRefresh(answer)
    await expect(client.refresh()).rejects.toMatchObject({ code: 'invalid_token' })
    expect(client.getState().status).toBe('authenticated')
  })

  it('rejects network on a 5xx after the retries, never hanging', async () => {
    setup({ retries: 2 })
    server.answerRefresh(json({}, 502), json({}, 503), json({}, 500))
    const refreshing = client.refresh()
    const outcome = expect(refreshing).rejects.toMatchObject({ code: 'network', status: 500 })
    await vi.advanceTimersByTimeAsync(5_000)
    await outcome
    expect(server.count('/auth/refresh')).toBe(3)
  })
})

describe('refresh timing', () => {
  it('refreshes at expiry minus the default leeway (20% of a 5 min token = 60 s)', async () => {
    setup({}, 300)
    await client.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(239_000)
    expect(server.count('/auth/refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('does not refresh a 30-day token early, even though its timer exceeds setTimeout', async () => {
    setup({}, 30 * 24 * 3600)
    await client.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(25 * 24 * 3600 * 1000)
    expect(server.count('/auth/refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(5 * 24 * 3600 * 1000 - 60_000)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('refreshes at the right moment when the client clock is one hour wrong', async () => {
    const skew = 3_600_000
    setup({ now: () => Date.now() + skew }, 300)
    await client.login({ password: 'right' })
    const state = client.getState() as Extract<AuthState, { status: 'authenticated' }>
    expect(state.expiresAt - (Date.now() + skew)).toBe(300_000)
    await vi.advanceTimersByTimeAsync(239_000)
    expect(server.count('/auth/refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('uses the refreshLeeway option', async () => {
    setup({ refreshLeeway: 30 }, 300)
    await client.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(269_000)
    expect(server.count('/auth/refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('re-checks the clock on wake events after the machine slept', async () => {
    let skip = 0
    setup({ now: () => Date.now() + skip }, 300)
    await client.login({ password: 'right' })
    skip = 250_000 // the laptop slept: the clock jumped, the timer did not fire
    window.dispatchEvent(new Event('focus'))
    await vi.advanceTimersByTimeAsync(0)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('keeps the session after a background refresh fails with a network error, and tries again later', async () => {
    setup({ retries: 0 }, 300)
    await client.login({ password: 'right' })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    await vi.advanceTimersByTimeAsync(240_000)
    expect(client.getState().status).toBe('authenticated')
    expect(errors).toHaveLength(1)
    expect(isAuthError(errors[0], 'network')).toBe(true)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.count('/auth/refresh')).toBe(2)
  })
})

describe('session end', () => {
  it('ends the session once on a 401 refresh and never calls the server again', async () => {
    setup()
    await client.login({ password: 'right' })
    const events: string[] = []
    client.on('session_expired', (error) => events.push(error.code))
    server.answerRefresh(json({ error: 'revoked' }, 401))
    await expect(client.refresh()).rejects.toMatchObject({ code: 'session_expired', status: 401 })
    expect(client.getState()).toEqual({ status: 'unauthenticated', reason: 'session_expired' })
    await expect(client.getAccessToken()).resolves.toBeNull()
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(events).toEqual(['session_expired'])
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('makes no network call after a destroy that happened while restore asked the other tabs', async () => {
    setup({ crossTab: true })
    const restoring = client.restore()
    client.destroy()
    await expect(restoring).rejects.toMatchObject({ code: 'destroyed' })
    expect(server.calls).toEqual([])
  })

  it('rejects every method with destroyed after destroy', async () => {
    setup()
    client.destroy()
    for (const call of [
      () => client.restore(),
      () => client.login({}),
      () => client.logout(),
      () => client.getAccessToken(),
      () => client.refresh(),
      () => client.fetch('/api/me'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'destroyed' })
    }
    expect(() => client.setAccessToken(makeJwt({ exp: 9e9 }))).toThrow(expect.objectContaining({ code: 'destroyed' }))
  })

  it('leaves no timer and no listener behind after destroy', async () => {
    const added = new Map<string, number>()
    const removed = new Map<string, number>()
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target)
      const remove = target.removeEventListener.bind(target)
      vi.spyOn(target, 'addEventListener').mockImplementation((type, ...rest) => {
        added.set(type, (added.get(type) ?? 0) + 1)
        return add(type, ...rest)
      })
      vi.spyOn(target, 'removeEventListener').mockImplementation((type, ...rest) => {
        removed.set(type, (removed.get(type) ?? 0) + 1)
        return remove(type, ...rest)
      })
    }
    setup()
    await client.login({ password: 'right' })
    expect(vi.getTimerCount()).toBe(1)
    expect(added.size).toBe(4)
    client.destroy()
    expect(vi.getTimerCount()).toBe(0)
    expect(removed).toEqual(added)
  })
})

describe('tokens', () => {
  it.each([
    ['two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9'],
    ['bad base64', 'eyJhbGciOiJIUzI1NiJ9.%%%%.sig'],
    ['a non-JSON payload', `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('not json').toString('base64url')}.sig`],
    ['exp as a string', makeJwt({ exp: '1d' })],
    ['exp in milliseconds', makeJwt({ exp: Date.now() + 60_000 })],
    ['no exp', makeJwt({ sub: 'x' })],
  ])('rejects a refresh answer with %s as invalid_token and stores nothing', async (_, token) => {
    setup({ retries: 0 })
    server.answerRefresh(json({ access_token: token }))
    await expect(client.refresh()).rejects.toMatchObject({ code: 'invalid_token' })
    expect(client.getState()).toEqual({ status: 'unknown' })
    server.answerRefresh(json({ access_token: token }))
    await client.fetch('/api/me')
    expect(server.calls.at(-1)!.headers.get('authorization')).toBeNull()
  })

  it('adopts a token set from elsewhere and rejects a malformed one', () => {
    setup()
    expect(() => client.setAccessToken('not.a-token')).toThrow(expect.objectContaining({ code: 'invalid_token' }))
    expect(client.getState()).toEqual({ status: 'unknown' })
    client.setAccessToken(makeJwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 }))
    expect(client.getState()).toMatchObject({ status: 'authenticated', claims: { sub: 'u' } })
  })

  it('never puts the token in an error message', async () => {
    setup({ retries: 0 })
    const token = makeJwt({ exp: '1d' })
    server.answerRefresh(json({ access_token: token }))
    const error = await client.refresh().catch((e: unknown) => e)
    expect(String(error) + JSON.stringify(error) + (error as Error).stack).not.toContain(token)
  })
})

describe('state', () => {
  it('keeps one snapshot object until something changes and tells subscribers', async () => {
    setup()
    const seen: string[] = []
    const unsubscribe = client.subscribe((state) => seen.push(state.status))
    const first = client.getState()
    expect(client.getState()).toBe(first)
    await client.restore()
    expect(client.getState()).not.toBe(first)
    unsubscribe()
    await client.logout()
    expect(seen).toEqual(['authenticated'])
  })

  it('warns once when a second client is created for the same key', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    setup()
    const second = createAuthClient({ baseUrl: BASE, crossTab: false, fetch: server.fetch })
    const third = createAuthClient({ baseUrl: BASE, crossTab: false, fetch: server.fetch })
    expect(warn).toHaveBeenCalledTimes(1)
    second.destroy()
    third.destroy()
  })
})
