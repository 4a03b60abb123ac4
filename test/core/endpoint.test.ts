import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../src/core/errors.ts'
import {
  parseTokenResponse,
  postWithRetry,
  readTokenAnswer,
  type EndpointAnswer,
  type EndpointCall,
} from '../../src/core/refresher.ts'
import { makeToken } from '../helpers/make-jwt.ts'

const TOKEN = makeToken(300)
const tokenJson = JSON.stringify({ access_token: TOKEN, expires_in: 300 })

const answer = (status: number, body = '', headers: Record<string, string> = {}) =>
  new Response(status === 204 || body === '' ? null : body, { status, headers })
const ok = () => answer(200, tokenJson, { 'content-type': 'application/json' })

function stubFetch(...steps: Array<Response | Error>) {
  const fetch = vi.fn<typeof globalThis.fetch>()
  for (const step of steps) {
    if (step instanceof Error) fetch.mockRejectedValueOnce(step)
    else fetch.mockResolvedValueOnce(step)
  }
  return fetch
}

/** A fetch that answers only by rejecting when its signal aborts, as the real one does. */
const pendingUntilAborted = vi.fn<typeof globalThis.fetch>(
  (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    }),
)

function callWith(fetch: typeof globalThis.fetch, options: Partial<EndpointCall> = {}): EndpointCall {
  return {
    fetch,
    url: 'https://app.test/auth/refresh',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
    timeout: 10_000,
    retries: 3,
    signal: new AbortController().signal,
    ...options,
  }
}

/** Follows a promise without leaving its rejection unhandled. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  )
  return state
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('postWithRetry', () => {
  it('POSTs JSON with credentials and the merged headers', async () => {
    const fetch = stubFetch(ok())
    const headers = { 'X-Requested-With': 'XMLHttpRequest', 'X-Extra': '1' }
    await postWithRetry(callWith(fetch, { body: { user: 'ada' }, headers }))
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('https://app.test/auth/refresh')
    expect(init).toMatchObject({ method: 'POST', credentials: 'include', body: '{"user":"ada"}' })
    expect(init?.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Requested-With': 'XMLHttpRequest',
      'X-Extra': '1',
    })
  })

  it('returns the status, text and content type of a 2xx answer', async () => {
    const result = await postWithRetry(callWith(stubFetch(ok())))
    expect(result).toMatchObject({ status: 200, text: tokenJson, contentType: 'application/json' })
  })

  it('resolves after two retries when the server answers 503, 503, 200', async () => {
    const fetch = stubFetch(answer(503), answer(503), ok())
    const result = track(postWithRetry(callWith(fetch)))
    await vi.runAllTimersAsync()
    expect(result.value).toMatchObject({ status: 200 })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('returns a 401 at once without retrying', async () => {
    const fetch = stubFetch(answer(401), ok())
    const result = track(postWithRetry(callWith(fetch)))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.value).toMatchObject({ status: 401 })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits for Retry-After before retrying a 429', async () => {
    const fetch = stubFetch(answer(429, '', { 'retry-after': '2' }), ok())
    const result = track(postWithRetry(callWith(fetch)))
    await vi.advanceTimersByTimeAsync(1_999)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(result.value).toMatchObject({ status: 200 })
  })

  it('rejects network after 3 retries when fetch keeps failing', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'))
    const result = track(postWithRetry(callWith(fetch)))
    await vi.runAllTimersAsync()
    expect(result.error).toBeInstanceOf(AuthError)
    expect(result.error).toMatchObject({ code: 'network' })
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('honours the retries option', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => answer(503))
    const result = track(postWithRetry(callWith(fetch, { retries: 1 })))
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'network', status: 503 })
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('rejects timeout when an attempt outlasts the timeout', async () => {
    const result = track(postWithRetry(callWith(pendingUntilAborted, { retries: 0, timeout: 1_000 })))
    await vi.advanceTimersByTimeAsync(999)
    expect(result.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(result.error).toBeInstanceOf(AuthError)
    expect(result.error).toMatchObject({ code: 'timeout' })
  })

  it('rejects timeout even when the injected fetch ignores its abort signal', async () => {
    const neverAnswers = vi.fn<typeof globalThis.fetch>(() => new Promise(() => {}))
    const result = track(postWithRetry(callWith(neverAnswers, { retries: 0, timeout: 1_000 })))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(result.settled).toBe(true)
    expect(result.error).toMatchObject({ code: 'timeout' })
  })

  it('gives every attempt its own timeout', async () => {
    const result = track(postWithRetry(callWith(pendingUntilAborted, { retries: 1, timeout: 1_000 })))
    await vi.runAllTimersAsync()
    expect(result.error).toMatchObject({ code: 'timeout' })
    expect(pendingUntilAborted).toHaveBeenCalledTimes(2)
  })

  it('rejects destroyed and leaves no timer when the client signal aborts during a backoff', async () => {
    const client = new AbortController()
    const fetch = stubFetch(answer(503), ok())
    const result = track(postWithRetry(callWith(fetch, { signal: client.signal })))
    await vi.advanceTimersByTimeAsync(0)
    client.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'destroyed' })
    expect(vi.getTimerCount()).toBe(0)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('rejects destroyed when the client signal aborts during a request', async () => {
    const client = new AbortController()
    const result = track(postWithRetry(callWith(pendingUntilAborted, { signal: client.signal })))
    await vi.advanceTimersByTimeAsync(0)
    client.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'destroyed' })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('readTokenAnswer', () => {
  const read = (text: string, contentType: string | null = 'application/json') =>
    readTokenAnswer({ status: 200, text, contentType }, parseTokenResponse)

  function rejection(run: () => unknown): AuthError {
    try {
      run()
    } catch (error) {
      return error as AuthError
    }
    throw new Error('expected a throw')
  }

  it('rejects an HTML answer as invalid_token', () => {
    expect(rejection(() => read(tokenJson, 'text/html; charset=utf-8'))).toMatchObject({ code: 'invalid_token' })
  })

  it('rejects an empty body as invalid_token', () => {
    expect(rejection(() => read(''))).toMatchObject({ code: 'invalid_token' })
  })

  it('rejects a 200 {} without a token as invalid_token', () => {
    expect(rejection(() => read('{}'))).toMatchObject({ code: 'invalid_token' })
  })

  it.each(['{"access_token": 42}', '[]', '"str"', 'null', '{"access_token": ""}'])(
    'rejects the wrongly shaped body %s as invalid_token',
    (body) => {
      expect(rejection(() => read(body))).toMatchObject({ code: 'invalid_token' })
    },
  )

  it.each(['application/json; charset=utf-8', 'application/vnd.api+json'])('accepts content type %s', (type) => {
    expect(read(tokenJson, type)).toEqual({ accessToken: TOKEN, expiresIn: 300 })
  })

  it.each<[string, EndpointAnswer, (body: any) => any]>([
    ['an HTML body', { status: 200, text: `<p>${TOKEN}</p>`, contentType: 'text/html' }, parseTokenResponse],
    ['a JSON body sent as HTML', { status: 200, text: tokenJson, contentType: 'text/html' }, parseTokenResponse],
    [
      'a parser that throws the token',
      { status: 200, text: tokenJson, contentType: 'application/json' },
      (body) => {
        throw new Error(body.access_token)
      },
    ],
  ])('keeps the token out of the error for %s', (_name, answer, parse) => {
    const error = rejection(() => readTokenAnswer(answer, parse))
    for (const text of [String(error), JSON.stringify(error), String(error.cause)]) {
      expect(text).not.toContain(TOKEN)
    }
  })
})

describe('parseTokenResponse', () => {
  it.each(['access_token', 'accessToken', 'token'])('reads the token from %s', (key) => {
    expect(parseTokenResponse({ [key]: 'jwt' }).accessToken).toBe('jwt')
  })

  it.each(['expires_in', 'expiresIn'])('reads the lifetime from %s', (key) => {
    expect(parseTokenResponse({ token: 'jwt', [key]: 60 }).expiresIn).toBe(60)
  })

  it('turns a string expires_in into a number', () => {
    expect(parseTokenResponse({ access_token: 'jwt', expires_in: '3600' }).expiresIn).toBe(3600)
  })

  it('leaves expiresIn undefined when the server sent none', () => {
    expect(parseTokenResponse({ access_token: 'jwt' }).expiresIn).toBeUndefined()
  })
})
