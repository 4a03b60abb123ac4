import { isAuthError } from './errors.js'
import type { AuthRequestInit } from './types.js'

export interface AuthFetchDeps {
  fetch: typeof fetch
  isAllowed: (input: RequestInfo | URL) => boolean
  /** The token to send: synchronous while fresh, else after the shared refresh. */
  tokenForRequest: () => string | null | Promise<string | null>
  /** The token in use now, whatever its age (the fallback when a refresh fails). */
  currentToken: () => string | null
  /** After a 401 to `sent`: a newer token, refreshing only if `sent` is still current. */
  tokenAfter401: (sent: string) => Promise<string | null>
  assertAlive: () => void
}

/** The drop-in fetch: adds the Bearer header to allowed origins and retries one 401. */
export function createAuthFetch(deps: AuthFetchDeps) {
  // Not async: with a fresh token the request goes out in the same turn, and the
  // hot path pays for one `.then`, not an async function's extra promise.
  return function authFetch(input: RequestInfo | URL, init?: AuthRequestInit): Promise<Response> {
    try {
      deps.assertAlive()
      if (init?.auth !== undefined) {
        const { auth, ...rest } = init
        if (auth === false) return deps.fetch(input, rest)
        init = rest
      }
      if (!deps.isAllowed(input)) return deps.fetch(input, init)
      const request = typeof input === 'object' && 'url' in input ? input : undefined
      const callerHeaders = init?.headers ?? request?.headers
      const headers = new Headers(callerHeaders)
      if (callerHeaders && headers.has('authorization')) return deps.fetch(input, init)

      const pending = deps.tokenForRequest()
      if (typeof pending === 'string') return send(input, init, headers, pending)
      if (pending === null) return deps.fetch(input, init)
      return settleToken(pending, init?.signal ?? request?.signal).then((token) =>
        token === null ? deps.fetch(input, init) : send(input, init, headers, token),
      )
    } catch (error) {
      return Promise.reject(error)
    }
  }

  function send(input: RequestInfo | URL, init: RequestInit | undefined, headers: Headers, token: string) {
    // A Request's body can be read once: keep a copy for the one retry.
    const spare = typeof input === 'object' && 'url' in input && input.body !== null ? input.clone() : undefined
    headers.set('Authorization', `Bearer ${token}`)
    return deps
      .fetch(input, init ? { ...init, headers } : { headers })
      .then((response) =>
        response.status === 401 && !isStream(init?.body)
          ? retryOnce(spare ?? input, init, headers, token, response)
          : response,
      )
  }

  async function retryOnce(
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    headers: Headers,
    sent: string,
    response: Response,
  ): Promise<Response> {
    const signal = init?.signal ?? (typeof input === 'object' && 'url' in input ? input.signal : undefined)
    const next = await abortable(deps.tokenAfter401(sent), signal).catch((error) => {
      if (signal?.aborted) throw error
      return null
    })
    if (next === null || next === sent) return response
    void response.body?.cancel().catch(() => {})
    headers.set('Authorization', `Bearer ${next}`)
    return deps.fetch(input, { ...init, headers })
  }

  async function settleToken(pending: Promise<string | null>, signal?: AbortSignal | null) {
    try {
      return await abortable(pending, signal)
    } catch (error) {
      // The request goes out anyway, as plain fetch would: the API has the last word.
      if (signal?.aborted || isAuthError(error, 'destroyed')) throw error
      return deps.currentToken()
    }
  }
}

/** The caller's signal ends the caller's wait, never the shared work behind it. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal | null): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function isStream(body: BodyInit | null | undefined): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
}
