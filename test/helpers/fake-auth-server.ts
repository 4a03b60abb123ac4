import { makeToken } from './make-jwt.ts'

export interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (reason: unknown) => void
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export interface RecordedCall {
  url: string
  path: string
  method: string
  headers: Headers
  body: string | null
}

type Answer = Response | Promise<Response> | (() => Response | Promise<Response>)

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

/**
 * A stub `fetch` playing the auth server and an API at https://app.test.
 * Refresh and login answers can be queued (`answerRefresh`) or held (`holdRefresh`).
 */
export function createFakeAuthServer(
  options: { lifetime?: number; now?: () => number; claims?: Record<string, unknown> } = {},
) {
  const now = options.now ?? (() => Date.now())
  const calls: RecordedCall[] = []
  const refreshAnswers: Answer[] = []
  const issued: string[] = []
  let currentToken: string | null = null
  // Like a real API, every issued token stays valid until revoked (refreshing does not revoke).
  const validTokens = new Set<string>()
  // The browser starts with a refresh cookie; logout (or signOut) removes it.
  let hasCookie = true
  let offline = false

  function issueToken(lifetime = options.lifetime ?? 300) {
    currentToken = makeToken(lifetime, now(), { ...options.claims, jti: `t${issued.length + 1}` })
    issued.push(currentToken)
    validTokens.add(currentToken)
    return json({ access_token: currentToken, token_type: 'Bearer', expires_in: lifetime })
  }

  // Like a real fetch, an aborted request rejects even while its answer is held.
  async function answer(next: Answer | undefined, fallback: () => Response, signal: AbortSignal) {
    if (next === undefined) return fallback()
    const pending = typeof next === 'function' ? next() : next
    return Promise.race([
      pending,
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ])
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const body = request.body ? await request.text() : null
    calls.push({ url: url.href, path: url.pathname, method: request.method, headers: request.headers, body })
    if (request.signal.aborted) throw request.signal.reason
    switch (url.pathname) {
      case '/auth/refresh': {
        const fallback = () => {
          if (offline) throw new TypeError('Failed to fetch')
          return hasCookie ? issueToken() : json({ error: 'no_session' }, 401)
        }
        return answer(refreshAnswers.shift(), fallback, request.signal)
      }
      case '/auth/login':
        if (JSON.parse(body ?? '{}').password !== 'right') return json({ error: 'invalid_credentials' }, 401)
        hasCookie = true
        return issueToken()
      case '/auth/logout':
        hasCookie = false
        currentToken = null
        validTokens.clear()
        return new Response(null, { status: 204 })
      default:
        return validTokens.has(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '')
          ? json({ ok: true, path: url.pathname, body })
          : json({ error: 'invalid_token' }, 401)
    }
  }

  return {
    fetch,
    calls,
    /** Calls to one path, e.g. count('/auth/refresh'). */
    count: (path: string) => calls.filter((call) => call.path === path).length,
    issueToken,
    /** Every token issued, oldest first. */
    issued,
    /** The browser has no refresh cookie any more: refresh answers 401. */
    signOut: () => void (hasCookie = false),
    /** The network is down for refresh calls: they reject. */
    goOffline: () => void (offline = true),
    get currentToken() {
      return currentToken
    },
    /** Makes the API reject the current token, as after a server-side revocation. */
    revokeCurrentToken() {
      validTokens.delete(currentToken ?? '')
    },
    answerRefresh(...answers: Answer[]) {
      refreshAnswers.push(...answers)
    },
    /** The next refresh waits until the returned deferred is resolved with `true` (answer) or a Response. */
    holdRefresh() {
      const gate = deferred<Response | true>()
      refreshAnswers.push(async () => {
        const released = await gate.promise
        return released === true ? issueToken() : released
      })
      return gate
    },
  }
}

export type FakeAuthServer = ReturnType<typeof createFakeAuthServer>
