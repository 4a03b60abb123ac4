// The drop-in fetch: Bearer for allowed origins only (okta-oidc-js PR #229), one retry after a 401,
// and a refresh for it only if the token sent is still current (supertokens-website#113).
import { isAuthError } from './errors.js'
import type { AuthRequestInit } from './types.js'
import { wait } from './wait.js'
import { warnOnce } from './warn.js'

export interface AuthFetchDeps {
  fetch: typeof fetch
  isAllowed: (url: string | URL) => boolean
  /** The token to send: at once while fresh, else after the shared refresh; null sends none. */
  token: () => string | null | Promise<string | null>
  /** The token in use now, whatever its age. */
  current: () => string | undefined
  /** A new token (the shared refresh). */
  refresh: () => Promise<string>
  /** The longest a request waits for a token before it goes out as plain fetch would (ms). */
  maxWait: number
  /** Aborted by destroy. */
  signal: AbortSignal
}

type Input = RequestInfo | URL

export function createAuthFetch(deps: AuthFetchDeps) {
  let lastToken: string | undefined
  let lastHeader = ''
  // One header string per token, not one per request.
  const bearer = (token: string) =>
    token === lastToken ? lastHeader : ((lastToken = token), (lastHeader = `Bearer ${token}`))

  // Not async: with a fresh token the request goes out in the same turn, and the
  // hot path pays for one `.then`, not an async function's extra promise.
  return function authFetch(input: Input, init?: AuthRequestInit): Promise<Response> {
    if (deps.signal.aborted) return Promise.reject(deps.signal.reason)
    if (init?.auth !== undefined) {
      const { auth, ...rest } = init
      if (auth === false) return deps.fetch(input, rest)
      init = rest
    }
    const request = typeof input === 'object' && 'url' in input ? input : undefined
    if (!deps.isAllowed((request?.url ?? input) as string | URL)) return passThrough(input, init)
    const callerHeaders = init?.headers ?? request?.headers
    const headers = new Headers(callerHeaders)
    if (callerHeaders && headers.has('authorization')) return deps.fetch(input, init)
    const pending = deps.token()
    if (typeof pending === 'string') return sendWith(input, init, headers, pending, request)
    if (pending === null) return deps.fetch(input, init)
    return settle(pending, init?.signal ?? request?.signal).then((token) =>
      token ? sendWith(input, init, headers, token, request) : deps.fetch(input, init),
    )
  }

  function sendWith(
    input: Input,
    init: RequestInit | undefined,
    headers: Headers,
    token: string,
    request: Request | undefined,
  ): Promise<Response> {
    // A Request's body can be read once: keep a copy for the one retry.
    const spare = request?.body ? request.clone() : undefined
    headers.set('Authorization', bearer(token))
    // A plain callback, not an async one: the hot path pays for one `.then` only.
    return deps
      .fetch(input, init ? { ...init, headers } : { headers })
      .then((response) =>
        response.status === 401 && !(init?.body instanceof ReadableStream)
          ? retryOnce(spare ?? input, init, headers, token, response, init?.signal ?? request?.signal)
          : response,
      )
  }

  async function retryOnce(
    input: Input,
    init: RequestInit | undefined,
    headers: Headers,
    sent: string,
    response: Response,
    signal: AbortSignal | null | undefined,
  ): Promise<Response> {
    const current = deps.current()
    const next = current === sent ? await settle(deps.refresh(), signal) : current
    if (!next || next === sent) return response
    void response.body?.cancel().catch(() => {})
    headers.set('Authorization', bearer(next))
    return deps.fetch(input, { ...init, headers })
  }

  /**
   * Waits (bounded) for a token. A failed or slow refresh does not fail the request:
   * it goes out with the current token or none, and the API has the last word.
   */
  function settle(pending: Promise<string | null>, signal: AbortSignal | null | undefined) {
    return wait(pending, deps.maxWait, signal, undefined).then(
      (token) => (token === undefined ? deps.current() : token),
      (error) => {
        if (signal?.aborted || isAuthError(error, 'destroyed')) throw error
        return deps.current()
      },
    )
  }

  function passThrough(input: Input, init: RequestInit | undefined): Promise<Response> {
    const sent = deps.fetch(input, init)
    if (process.env.NODE_ENV === 'production') return sent
    return sent.then((response) => {
      if (response.status === 401 && deps.current()) {
        let origin = response.url || String(input)
        try {
          origin = new URL(origin, globalThis.location?.href).origin
        } catch {}
        warnOnce(
          `${origin} answered 401 to a request sent without the Bearer header: ` +
            'list it in `allowedOrigins` if it should receive the token.',
        )
      }
      return response
    })
  }
}
