// One auth call: POST, timeout, retries with backoff (Retry-After honoured), and its outcome as DESIGN's table says.
import type { JwtPayload } from 'jwt-decode'
import { AuthError, isAuthError, type AuthEndpointName } from './errors.js'
import { createSession, isRecord, type Session } from './token.js'
import type { TokenResponse } from './types.js'
import { wait } from './wait.js'
import { warnOnce } from './warn.js'

export interface EndpointConfig {
  fetch: typeof fetch
  urls: Record<AuthEndpointName, string>
  authHeaders: Record<string, string>
  /** ms per attempt, body included */
  timeout: number
  /** Retries of refresh and logout (login is never retried). */
  retries: number
  parseTokenResponse: (body: any) => TokenResponse
  now: () => number
  random: () => number
}

interface Answer {
  status: number
  /** Read for 2xx and for the answers that may carry a `reason`. */
  text: string
  contentType: string | null
  retryAfter?: number
}

const BACKOFF_BASE = 300
const BACKOFF_MAX = 10_000
// A server asking for a longer pause gets its answer as the error instead.
const MAX_RETRY_WAIT = 30_000

/** The longest a call can take: each attempt may wait `timeout` to be online, then `timeout` for its answer. */
export function worstCaseMs(config: Pick<EndpointConfig, 'timeout' | 'retries'>): number {
  return (config.retries + 1) * 2 * config.timeout + config.retries * MAX_RETRY_WAIT
}

/** Calls `name`; login and refresh resolve the new session, logout resolves undefined. Failures throw AuthError. */
export async function callEndpoint<Claims extends JwtPayload>(
  config: EndpointConfig,
  name: AuthEndpointName,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<Session<Claims> | undefined> {
  const retries = name === 'login' ? 0 : config.retries
  for (let attempt = 0; ; attempt++) {
    let error!: AuthError
    const answer = await exchange(config, name, options).catch((failure: AuthError) => {
      // network or timeout: retried; the caller's signal ends the call
      if (options.signal?.aborted) throw failure
      error = failure
    })
    if (answer) {
      const { status } = answer
      if (status >= 200 && status < 300) return name === 'logout' ? undefined : readSession(config, answer, name)
      if (name === 'logout' && mayCarryReason(status)) return
      error = outcome(name, config.urls[name], answer)
      if (!isRetryable(status)) throw error
    }
    const delay = Math.max(backoff(attempt, config.random), (error.retryAfter ?? 0) * 1000)
    if (attempt >= retries || delay > MAX_RETRY_WAIT) throw error
    await wait(undefined, delay, options.signal)
  }
}

async function exchange(
  config: EndpointConfig,
  name: AuthEndpointName,
  { body, signal }: { body?: unknown; signal?: AbortSignal },
): Promise<Answer> {
  const url = config.urls[name]
  // Offline: wait for `online` (bounded) rather than burning an attempt.
  if (globalThis.navigator?.onLine === false) {
    await wait(new Promise((online) => addEventListener('online', online, { once: true })), config.timeout, signal)
  }
  const controller = new AbortController()
  const send = async (): Promise<Answer> => {
    const response = await config.fetch(url, {
      method: 'POST',
      credentials: 'include',
      cache: 'no-store',
      keepalive: name === 'logout',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...config.authHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    })
    const { status, headers } = response
    const isRead = response.ok || mayCarryReason(status)
    if (!isRead) void response.body?.cancel().catch(() => {})
    return {
      status,
      text: isRead ? await response.text() : '',
      contentType: headers.get('content-type'),
      retryAfter: parseRetryAfter(headers.get('retry-after'), config.now()),
    }
  }
  try {
    // Raced as well as aborted: an injected fetch that ignores its signal must not hang us.
    return await wait(send(), config.timeout, signal, new AuthError('timeout', { endpoint: name }))
  } catch (cause) {
    if (cause instanceof AuthError || signal?.aborted) throw cause
    const here = globalThis.location?.origin
    if (process.env.NODE_ENV !== 'production' && here && !url.startsWith(here + '/')) {
      warnOnce(
        `a network error on POST ${url}, another origin: its CORS answer must allow your origin exactly, ` +
          'with Access-Control-Allow-Credentials: true and the headers you send (X-Requested-With, Content-Type).',
      )
    }
    throw new AuthError('network', { endpoint: name, cause })
  } finally {
    controller.abort()
  }
}

function outcome(name: AuthEndpointName, url: string, { status, text, retryAfter }: Answer): AuthError {
  const reason = status === 429 ? undefined : readReason(text)
  const code =
    status === 429
      ? 'rate_limited'
      : status === 400 || status === 401
        ? name === 'login'
          ? 'invalid_credentials'
          : 'session_expired'
        : status === 403 && name === 'refresh'
          ? 'session_expired'
          : 'http_error'
  if (process.env.NODE_ENV !== 'production' && (status === 404 || status === 405)) {
    warnOnce(`POST ${url} (${name}) answered ${status}: check the \`endpoints\` and \`baseUrl\` options.`)
  }
  return new AuthError(code, { status, endpoint: name, reason, retryAfter })
}

/** A 2xx answer as a session, or `invalid_response`: such an answer is never stored. */
function readSession<Claims extends JwtPayload>(config: EndpointConfig, answer: Answer, endpoint: AuthEndpointName) {
  try {
    if (answer.contentType && !/[/+]json\b/i.test(answer.contentType)) throw new TypeError('not JSON')
    const { accessToken, expiresIn } = config.parseTokenResponse(JSON.parse(answer.text))
    if (typeof accessToken !== 'string' || !accessToken) throw new TypeError('no token')
    return createSession<Claims>(accessToken, expiresIn, config.now())
  } catch (cause) {
    // A parser's or JSON.parse's message may quote the body, token included: only our own errors are kept.
    throw new AuthError('invalid_response', {
      status: answer.status,
      endpoint,
      cause: isAuthError(cause) ? cause : undefined,
    })
  }
}

function readReason(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text)
    return isRecord(body) && typeof body.reason === 'string' ? body.reason : undefined
  } catch {
    return undefined
  }
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

// 400/401/403 end a session (or a login): their JSON may say why.
function mayCarryReason(status: number): boolean {
  return status === 400 || status === 401 || status === 403
}

function backoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX, BACKOFF_BASE * 2 ** attempt)
  return ceiling / 2 + (random() * ceiling) / 2
}

/** Seconds, from a number of seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds)
}
