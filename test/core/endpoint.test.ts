import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { callEndpoint, worstCaseMs, type EndpointConfig } from '../../src/core/endpoint.ts'
import { AuthError, type AuthEndpointName } from '../../src/core/errors.ts'
import { parseTokenResponse } from '../../src/core/token.ts'
import { makeJwt, makeToken } from '../helpers/make-jwt.ts'

const TOKEN = makeToken(300)
const tokenJson = JSON.stringify({ access_token: TOKEN, expires_in: 300 })

const answer = (status: number, body = '', headers: Record<string, string> = {}) =>
  new Response(status === 204 || body === '' ? null : body, { status, headers })
const ok = (body = tokenJson, type = 'application/json') => answer(200, body, { 'content-type': type })
const refused = (status: number, reason?: string) =>
  answer(status, JSON.stringify({ error: 'invalid_grant', reason }), { 'content-type': 'application/json' })

function stubFetch(...steps: Array<Response | Error>) {
  const fetch = vi.fn<typeof globalThis.fetch>()
  for (const step of steps) {
    if (step instanceof Error) fetch.mockRejectedValueOnce(step)
    else fetch.mockResolvedValueOnce(step)
  }
  return fetch
}

/** A fetch that answers only by rejecting when its signal aborts, as the real one does. */
const pendingUntilAborted = () =>
  vi.fn<typeof globalThis.fetch>(
    (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      }),
  )

function configWith(fetch: typeof globalThis.fetch, options: Partial<EndpointConfig> = {}): EndpointConfig {
  return {
    fetch,
    urls: {
      login: 'https://app.test/auth/login',
      refresh: 'https://app.test/auth/refresh',
      logout: 'https://app.test/auth/logout',
    },
    authHeaders: { 'X-Requested-With': 'XMLHttpRequest' },
    timeout: 10_000,
    retries: 3,
    parseTokenResponse,
    now: () => Date.now(),
    random: () => 0,
    ...options,
  }
}

/** Follows a promise without leaving its rejection unhandled. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: AuthError } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  )
  return state
}

function call(
  fetch: typeof globalThis.fetch,
  name: AuthEndpointName = 'refresh',
  options: Partial<EndpointConfig> = {},
) {
  return track(callEndpoint(configWith(fetch, options), name, name === 'login' ? {} : undefined))
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('the request', () => {
  it('POSTs JSON with credentials and the merged headers', async () => {
    const fetch = stubFetch(ok())
    const headers = { 'X-Requested-With': 'XMLHttpRequest', 'X-Extra': '1' }
    await callEndpoint(configWith(fetch, { authHeaders: headers }), 'login', { user: 'ada' })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('https://app.test/auth/login')
    expect(init).toMatchObject({ method: 'POST', credentials: 'include', body: '{"user":"ada"}' })
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json', ...headers })
  })

  it('sends the logout call with keepalive, so closing the tab right after does not cancel it', async () => {
    const fetch = stubFetch(answer(204), ok())
    await callEndpoint(configWith(fetch), 'logout')
    await callEndpoint(configWith(fetch), 'refresh')
    expect(fetch.mock.calls.map(([, init]) => init?.keepalive)).toEqual([true, false])
  })

  it('resolves the new session of a 2xx answer', async () => {
    const session = await callEndpoint(configWith(stubFetch(ok())), 'refresh')
    expect(session).toMatchObject({ token: TOKEN, lifetime: 300_000, claims: { sub: 'user-1' } })
  })
})

describe('outcomes (DESIGN "Outcomes of the auth endpoints")', () => {
  it.each<[AuthEndpointName, number, string]>([
    ['login', 400, 'invalid_credentials'],
    ['login', 401, 'invalid_credentials'],
    ['login', 403, 'http_error'],
    ['login', 404, 'http_error'],
    ['login', 503, 'http_error'],
    ['refresh', 400, 'session_expired'],
    ['refresh', 401, 'session_expired'],
    ['refresh', 403, 'session_expired'],
    ['refresh', 404, 'http_error'],
    ['refresh', 405, 'http_error'],
    ['refresh', 415, 'http_error'],
    ['logout', 404, 'http_error'],
  ])('%s answered %i rejects %s with the status and the endpoint, without a retry', async (name, status, code) => {
    const fetch = vi.fn(async () => answer(status))
    const result = call(fetch, name)
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toBeInstanceOf(AuthError)
    expect(result.error).toMatchObject({ code, status, endpoint: name })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it("carries the server's reason on a refused refresh (OAuth servers answer invalid_grant with 400)", async () => {
    const result = call(stubFetch(refused(400, 'reused')))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'session_expired', status: 400, reason: 'reused' })
  })

  it('reads no reason from a refusal whose body is not JSON', async () => {
    const result = call(stubFetch(answer(401, '<html>no</html>', { 'content-type': 'text/html' })))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'session_expired', reason: undefined })
  })

  it.each([200, 204, 400, 401, 403])('is done with a logout answered %i', async (status) => {
    const fetch = stubFetch(answer(status))
    await expect(callEndpoint(configWith(fetch), 'logout')).resolves.toBeUndefined()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('rejects rate_limited with retryAfter on a throttled login, without waiting', async () => {
    const result = call(stubFetch(answer(429, '', { 'retry-after': '7' })), 'login')
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 7, endpoint: 'login' })
  })

  it('warns in development when an endpoint answers 404, naming the option to fix', async () => {
    const warn = vi.mocked(console.warn)
    const result = call(stubFetch(answer(404)), 'refresh', {
      urls: { ...configWith(vi.fn()).urls, refresh: 'https://app.test/wrong/refresh' },
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'http_error', status: 404 })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('`endpoints`'))
  })
})

describe('development warnings', () => {
  it('names CORS when an auth call to another origin fails on the network', async () => {
    const warn = vi.mocked(console.warn)
    const urls = { ...configWith(vi.fn()).urls, login: 'https://auth.other.test/login' }
    const result = call(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')), 'login', { urls })
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'network' })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Access-Control-Allow-Credentials: true'))
  })

  it('says nothing of CORS for a network error on its own origin', async () => {
    const warn = vi.mocked(console.warn)
    call(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')), 'login')
    await vi.advanceTimersByTimeAsync(0)
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('unusable 2xx answers', () => {
  it.each([
    ['HTML', () => ok(`<p>${TOKEN}</p>`, 'text/html; charset=utf-8')],
    ['a JSON body sent as HTML', () => ok(tokenJson, 'text/html')],
    ['an empty body', () => new Response(null, { status: 200 })],
    ['bad JSON', () => ok('{"access_token": "')],
    ['no token', () => ok('{}')],
    ['a token that is not a string', () => ok('{"access_token": 42}')],
    ['an empty token', () => ok('{"access_token": ""}')],
    ['a JSON array', () => ok('[]')],
    ['null', () => ok('null')],
    ['a token that is not a JWT', () => ok('{"access_token": "opaque-token"}')],
    ['a JWT without exp and no expires_in', () => ok(JSON.stringify({ access_token: makeJwt({ sub: 'x' }) }))],
    ['a JWT with exp in milliseconds', () => ok(JSON.stringify({ access_token: makeJwt({ exp: Date.now() }) }))],
  ])('rejects %s as invalid_response without a retry', async (_, respond) => {
    const fetch = vi.fn(async () => respond())
    const result = call(fetch)
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'invalid_response', status: 200, endpoint: 'refresh' })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it.each(['application/json; charset=utf-8', 'application/vnd.api+json'])('accepts content type %s', async (type) => {
    await expect(callEndpoint(configWith(stubFetch(ok(tokenJson, type))), 'refresh')).resolves.toMatchObject({
      token: TOKEN,
    })
  })

  it.each<[string, () => Response, ((body: any) => any) | undefined]>([
    ['an HTML body', () => ok(`<p>${TOKEN}</p>`, 'text/html'), undefined],
    ['truncated JSON', () => ok(tokenJson.slice(0, -5)), undefined],
    [
      'a parser that throws the token',
      () => ok(),
      (body) => {
        throw new Error(body.access_token)
      },
    ],
  ])('keeps the token out of the error for %s', async (_, respond, parse) => {
    const config = configWith(
      vi.fn(async () => respond()),
      parse ? { parseTokenResponse: parse } : {},
    )
    const error = (await callEndpoint(config, 'refresh').catch((e: AuthError) => e)) as AuthError
    for (const text of [String(error), JSON.stringify(error), String(error.cause), error.stack]) {
      expect(text).not.toContain(TOKEN)
    }
  })
})

describe('retries', () => {
  it('resolves after two retries when the server answers 503, 503, 200', async () => {
    const fetch = stubFetch(answer(503), answer(503), ok())
    const result = call(fetch)
    await vi.runAllTimersAsync()
    expect(result.value).toMatchObject({ token: TOKEN })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('rejects http_error with the last status after the retries', async () => {
    const fetch = vi.fn(async () => answer(503))
    const result = call(fetch, 'refresh', { retries: 1 })
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'http_error', status: 503, endpoint: 'refresh' })
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('retries a failed logout too, then reports it', async () => {
    const fetch = vi.fn(async () => answer(502))
    const result = call(fetch, 'logout')
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'http_error', status: 502, endpoint: 'logout' })
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('waits for Retry-After in seconds before retrying a 429', async () => {
    const fetch = stubFetch(answer(429, '', { 'retry-after': '2' }), ok())
    const result = call(fetch)
    await vi.advanceTimersByTimeAsync(1_999)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(result.value).toMatchObject({ token: TOKEN })
  })

  it('waits for a Retry-After given as an HTTP date', async () => {
    // Whole seconds: the wait is in (4 s, 5 s].
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 5_000).toUTCString()
    const fetch = stubFetch(answer(503, '', { 'retry-after': at }), ok())
    call(fetch)
    await vi.advanceTimersByTimeAsync(3_900)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_100)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('gives up at once with rate_limited when Retry-After asks for more than 30 s', async () => {
    const fetch = stubFetch(answer(429, '', { 'retry-after': '120' }), ok())
    const result = call(fetch)
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'rate_limited', retryAfter: 120 })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('rejects network after 3 retries when fetch keeps failing', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'))
    const result = call(fetch)
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'network', endpoint: 'refresh' })
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('never retries a login', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'))
    const result = call(fetch, 'login')
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'network', endpoint: 'login' })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('waits for the online event rather than burning an attempt while offline', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const fetch = stubFetch(ok())
    const result = call(fetch)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(fetch).not.toHaveBeenCalled()
    onLine.mockReturnValue(true)
    window.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(fetch).toHaveBeenCalledOnce()
    expect(result.value).toMatchObject({ token: TOKEN })
  })
})

describe('bounded waits', () => {
  it('rejects timeout when an attempt outlasts the timeout', async () => {
    const result = call(pendingUntilAborted(), 'refresh', { retries: 0, timeout: 1_000 })
    await vi.advanceTimersByTimeAsync(999)
    expect(result.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(result.error).toMatchObject({ code: 'timeout', endpoint: 'refresh' })
  })

  it('rejects timeout even when the injected fetch ignores its abort signal', async () => {
    const result = call(
      vi.fn(() => new Promise<Response>(() => {})),
      'refresh',
      { retries: 0, timeout: 1_000 },
    )
    await vi.advanceTimersByTimeAsync(1_000)
    expect(result.error).toMatchObject({ code: 'timeout' })
  })

  it('counts a body that never ends against the timeout', async () => {
    const stalled = new Response(new ReadableStream({ start() {} }), {
      headers: { 'content-type': 'application/json' },
    })
    const result = call(stubFetch(stalled), 'refresh', { retries: 0, timeout: 1_000 })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(result.error).toMatchObject({ code: 'timeout' })
  })

  it('gives every attempt its own timeout', async () => {
    const fetch = pendingUntilAborted()
    const result = call(fetch, 'refresh', { retries: 1, timeout: 1_000 })
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'timeout' })
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('takes no longer than worstCaseMs, whatever the server does', async () => {
    const config = configWith(
      vi.fn(async () => answer(503, '', { 'retry-after': '30' })),
      { timeout: 1_000, retries: 3, random: () => 0.999 },
    )
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const result = track(callEndpoint(config, 'refresh'))
    await vi.advanceTimersByTimeAsync(worstCaseMs(config) - 1)
    await vi.advanceTimersByTimeAsync(1)
    expect(result.error).toMatchObject({ code: 'http_error', status: 503 })
  })

  it('rejects with the signal reason and leaves no timer when the signal aborts during a backoff', async () => {
    const lifecycle = new AbortController()
    const fetch = stubFetch(answer(503), ok())
    const result = track(callEndpoint(configWith(fetch), 'refresh', undefined, lifecycle.signal))
    await vi.advanceTimersByTimeAsync(0)
    lifecycle.abort(new AuthError('destroyed'))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'destroyed' })
    expect(vi.getTimerCount()).toBe(0)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('rejects with the signal reason when the signal aborts during a request', async () => {
    const lifecycle = new AbortController()
    const config = configWith(pendingUntilAborted())
    const result = track(callEndpoint(config, 'refresh', undefined, lifecycle.signal))
    await vi.advanceTimersByTimeAsync(0)
    lifecycle.abort(new AuthError('destroyed'))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'destroyed' })
    expect(vi.getTimerCount()).toBe(0)
  })
})
