import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, isAuthError, type AuthClient, type AuthenticatedState } from '../../src/index.ts'
import { makeJwt, makeToken } from '../helpers/make-jwt.ts'
import { createFakeAuthServer, json, type FakeAuthServer } from '../helpers/fake-auth-server.ts'

const BASE = 'https://app.test'
let server: FakeAuthServer
let client: AuthClient

function setup(options: Parameters<typeof createAuthClient>[0] = {}, lifetime = 300) {
  server = createFakeAuthServer({ lifetime })
  // No jitter: the random source is injected, never spied on.
  client = createAuthClient({ baseUrl: BASE, crossTab: false, fetch: server.fetch, random: () => 0, ...options })
  return client
}

beforeEach(() => {
  vi.useFakeTimers()
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

  it('rejects with network and stays unknown, with the error, when the server cannot be reached', async () => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(client.restore()).rejects.toMatchObject({ name: 'AuthError', code: 'network' })
    expect(client.getState()).toMatchObject({ status: 'unknown', error: { code: 'network', endpoint: 'refresh' } })
  })

  it('is idempotent: concurrent and repeated calls make one refresh call', async () => {
    setup()
    await Promise.all([client.restore(), client.restore(), client.restore()])
    await client.restore()
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('retries a failed restore by itself, 1 s later, and is authenticated without any call of the app (auth-js PR#710)', async () => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    await expect(client.restore()).rejects.toThrow()
    await vi.advanceTimersByTimeAsync(999)
    expect(server.count('/auth/refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('/auth/refresh')).toBe(2)
    expect(client.getState()).toMatchObject({ status: 'authenticated' })
  })

  it('backs off 1 s, 2 s, 4 s … up to 30 s between failed restores', async () => {
    setup({ retries: 0 })
    server.goOffline()
    await client.restore().catch(() => {})
    const times: number[] = []
    const start = Date.now()
    client.on('error', () => times.push(Date.now() - start))
    await vi.advanceTimersByTimeAsync(200_000)
    const gaps = times.map((time, i) => time - (times[i - 1] ?? 0))
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000])
  })

  it.each([
    ['online', () => window.dispatchEvent(new Event('online'))],
    ['focus', () => window.dispatchEvent(new Event('focus'))],
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
  ])('retries a failed restore at once on %s', async (_, wake) => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    await client.restore().catch(() => {})
    await vi.advanceTimersByTimeAsync(500)
    wake()
    await vi.advanceTimersByTimeAsync(0)
    expect(server.count('/auth/refresh')).toBe(2)
    expect(client.getState().status).toBe('authenticated')
  })

  it('stops retrying once the server says there is no session', async () => {
    setup({ retries: 0 })
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    await client.restore().catch(() => {})
    server.signOut()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(client.getState()).toEqual({ status: 'unauthenticated', reason: 'no_session' })
    await vi.advanceTimersByTimeAsync(600_000)
    expect(server.count('/auth/refresh')).toBe(2)
  })

  it('rejects a restore() called again during the backoff with the last error, without a call', async () => {
    setup({ retries: 0 })
    server.goOffline()
    const first = await client.restore().catch((error: unknown) => error)
    const again = await client.restore().catch((error: unknown) => error)
    expect(again).toBe(first)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('resolves unknown without a network call outside a browser page', async () => {
    setup()
    vi.stubGlobal('document', undefined)
    try {
      await expect(client.restore()).resolves.toEqual({ status: 'unknown' })
    } finally {
      vi.unstubAllGlobals()
    }
    expect(server.calls).toEqual([])
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
      endpoint: 'login',
    })
    expect(client.getState()).toEqual({ status: 'unknown' })
  })

  it('clears the session at once, retries the logout call, and reports its final failure once', async () => {
    const failing = createFakeAuthServer()
    let logoutCalls = 0
    setup({
      fetch: (input, init) => {
        if (!String(input).endsWith('/auth/logout')) return failing.fetch(input, init)
        logoutCalls++
        return Promise.reject(new TypeError('offline'))
      },
    })
    await client.login({ password: 'right' })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    const done = client.logout()
    expect(client.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
    await vi.advanceTimersByTimeAsync(60_000)
    await expect(done).resolves.toBeUndefined()
    expect(logoutCalls).toBe(4)
    expect(errors).toEqual([expect.objectContaining({ code: 'network', endpoint: 'logout' })])
    await expect(client.getAccessToken()).resolves.toBeNull()
  })

  it('sends the access token with the logout call, so servers that find the session by it can end it', async () => {
    setup()
    await client.login({ password: 'right' })
    const token = server.currentToken
    await client.logout()
    const call = server.calls.find((c) => c.path === '/auth/logout')!
    expect(call.headers.get('authorization')).toBe(`Bearer ${token}`)
  })

  it('never sends the access token to a logout endpoint on an origin that is not allowed', async () => {
    setup({ endpoints: { logout: 'https://sso.other.test/logout' } })
    await client.login({ password: 'right' })
    await client.logout()
    const call = server.calls.find((c) => c.url === 'https://sso.other.test/logout')!
    expect(call.headers.get('authorization')).toBeNull()
  })

  it('finishes a logout call that was in flight when the client was destroyed', async () => {
    setup()
    await client.login({ password: 'right' })
    const done = client.logout()
    client.destroy()
    await done
    expect(server.count('/auth/logout')).toBe(1)
  })

  it('rejects invalid_response for a login answer it cannot use, and ends the server session it may have made', async () => {
    setup({
      fetch: (input, init) =>
        String(input).endsWith('/auth/login') ? Promise.resolve(json({ ok: true })) : server.fetch(input, init),
    })
    await expect(client.login({ password: 'right' })).rejects.toMatchObject({
      code: 'invalid_response',
      endpoint: 'login',
    })
    expect(client.getState()).toEqual({ status: 'unknown' })
    await vi.advanceTimersByTimeAsync(0)
    expect(server.count('/auth/logout')).toBe(1)
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
  it('rejects an unusable refresh answer as invalid_response without ending the session', async () => {
    setup({ retries: 0 })
    await client.login({ password: 'right' })
    server.answerRefresh(() => new Response('<html>oops</html>', { headers: { 'content-type': 'text/html' } }))
    await expect(client.refresh()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(client.getState().status).toBe('authenticated')
  })

  it('stores nothing and sends no header after an unusable refresh answer', async () => {
    setup({ retries: 0 })
    server.answerRefresh(json({ access_token: makeJwt({ sub: 'no-exp' }) }))
    await expect(client.refresh()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(client.getState()).toMatchObject({ status: 'unknown' })
    await client.fetch('/api/me')
    expect(server.calls.at(-1)!.headers.get('authorization')).toBeNull()
  })

  it('rejects http_error on a 5xx after the retries, never hanging', async () => {
    setup({ retries: 2 })
    server.answerRefresh(json({}, 502), json({}, 503), json({}, 500))
    const refreshing = client.refresh()
    const outcome = expect(refreshing).rejects.toMatchObject({ code: 'http_error', status: 500 })
    await vi.advanceTimersByTimeAsync(500) // the two backoffs (random = 0): 150 ms + 300 ms
    await outcome
    expect(server.count('/auth/refresh')).toBe(3)
  })

  it('never reads a 404 from the refresh endpoint as "no session" (a setup mistake is not a logout)', async () => {
    setup()
    await client.login({ password: 'right' })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    server.answerRefresh(json({ error: 'not_found' }, 404))
    await expect(client.refresh()).rejects.toMatchObject({ code: 'http_error', status: 404 })
    expect(client.getState().status).toBe('authenticated')
  })
})

describe('development warnings', () => {
  it('says the refresh cookie did not come back when the server finds none for a live session', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    setup()
    await client.login({ password: 'right' })
    server.answerRefresh(json({ error: 'invalid_grant', reason: 'missing' }, 401))
    await client.refresh().catch(() => {})
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SameSite.*Secure.*Path/))
    expect(warn.mock.calls.join()).not.toContain(server.issued[0])
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
    const state = client.getState() as AuthenticatedState
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

  it('takes the smaller of expires_in and exp - iat: an expires_in sent in ms cannot outlive the token', async () => {
    setup()
    const token = makeToken(12)
    server.answerRefresh(json({ access_token: token, expires_in: 12_000 }))
    await client.restore()
    const state = client.getState() as AuthenticatedState
    expect(state.expiresAt - Date.now()).toBe(12_000)
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
