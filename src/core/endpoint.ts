// One auth call: POST, timeout, retries with backoff (Retry-After honoured), and its outcome as DESIGN's table says.
import type { JwtPayload } from 'jwt-decode'
import { AuthError, isAuthError, type AuthEndpointName } from './errors.js'
import type { ResolvedOptions } from './options.js'
import { createSession, isRecord, type Session } from './token.js'
import { wait } from './wait.js'
import { warnOnce } from './warn.js'

export type EndpointConfig = Pick<
  ResolvedOptions,
  'fetch' | 'urls' | 'authHeaders' | 'timeout' | 'retries' | 'parseTokenResponse' | 'now' | 'random'
>

const BACKOFF_BASE_MS = 300
const BACKOFF_MAX_MS = 10_000
// A server asking for a longer pause gets its answer as the error instead.
const MAX_RETRY_WAIT_MS = 30_000

/** The longest a call can take: each attempt may wait `timeout` to be online, then `timeout` for its answer. */
export function worstCaseMs(config: Pick<EndpointConfig, 'timeout' | 'retries'>): number {
  return (config.retries + 1) * 2 * config.timeout + config.retries * MAX_RETRY_WAIT_MS
}

/**
 * Calls `name`; login and refresh resolve the new session, logout resolves undefined.
 * Network errors, timeouts, 408, 429 and 5xx are retried (never a login); every failure is an AuthError.
 */
export async function callEndpoint<Claims extends JwtPayload>(
  config: EndpointConfig,
  name: AuthEndpointName,
  body?: unknown,
  signal?: AbortSignal,
  /** Sent as Bearer: some servers (Strapi, Supabase's GoTrue) find the session to end by the access token. */
  token?: string,
): Promise<Session<Claims> | undefined> {
  for (let attempt = 0; ; attempt++) {
    let error: AuthError
    try {
      // Offline: wait for `online` (bounded) rather than burning an attempt.
      if (globalThis.navigator?.onLine === false) {
        await wait(new Promise((online) => addEventListener('online', online, { once: true })), config.timeout, signal)
      }
      const controller = new AbortController()
      // Raced as well as aborted: an injected fetch that ignores its signal must not hang us.
      return await wait(
        attemptOnce<Claims>(config, name, body, controller.signal, token),
        config.timeout,
        signal,
        new AuthError('timeout', { endpoint: name }),
      ).finally(() => controller.abort())
    } catch (failure) {
      error = failure as AuthError
      if (signal?.aborted || !isRetryable(error)) throw error
    }
    const delay = Math.max(backoff(attempt, config.random), (error.retryAfter ?? 0) * 1000)
    if (attempt >= (name === 'login' ? 0 : config.retries) || delay > MAX_RETRY_WAIT_MS) throw error
    await wait(undefined, delay, signal)
  }
}

async function attemptOnce<Claims extends JwtPayload>(
  config: EndpointConfig,
  endpoint: AuthEndpointName,
  body: unknown,
  signal: AbortSignal,
  token: string | undefined,
): Promise<Session<Claims> | undefined> {
  const url = config.urls[endpoint]
  let response: Response
  try {
    response = await config.fetch(url, {
      method: 'POST',
      credentials: 'include',
      keepalive: endpoint === 'logout',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...config.authHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
  } catch (cause) {
    if (process.env.NODE_ENV !== 'production' && !url.startsWith(globalThis.location?.origin + '/')) {
      warnOnce(
        `a network error on POST ${url}, another origin: its CORS answer must allow your origin exactly, ` +
          'with Access-Control-Allow-Credentials: true and the headers you send (X-Requested-With, Content-Type).',
      )
    }
    throw new AuthError('network', { endpoint, cause })
  }
  const { status, headers } = response
  const text = await response.text()
  const isJson = /[/+]json\b/i.test(headers.get('content-type') ?? 'json')
  if (response.ok) return endpoint === 'logout' ? undefined : readSession(config, isJson ? text : '', status, endpoint)
  const isRefusal = status === 400 || status === 401 || status === 403
  if (endpoint === 'logout' && isRefusal) return
  if (process.env.NODE_ENV !== 'production' && (status === 404 || status === 405)) {
    warnOnce(`POST ${url} (${endpoint}) answered ${status}: check the \`endpoints\` and \`baseUrl\` options.`)
  }
  const reason = parseJson(text)?.reason
  const code =
    status === 429
      ? 'rate_limited'
      : isRefusal && (endpoint !== 'login' || status !== 403)
        ? endpoint === 'login'
          ? 'invalid_credentials'
          : 'session_expired'
        : 'http_error'
  throw new AuthError(code, {
    status,
    endpoint,
    reason: typeof reason === 'string' ? reason : undefined,
    retryAfter: parseRetryAfter(headers.get('retry-after'), config.now()),
  })
}

/** A 2xx answer as a session, or `invalid_response`: such an answer is never stored. */
function readSession<Claims extends JwtPayload>(
  config: EndpointConfig,
  text: string,
  status: number,
  endpoint: AuthEndpointName,
): Session<Claims> {
  try {
    const { accessToken, expiresIn } = config.parseTokenResponse(parseJson(text))
    return createSession<Claims>(accessToken, expiresIn, config.now())
  } catch (cause) {
    // A parser's message may quote the body, token included: only our own errors are kept.
    throw new AuthError('invalid_response', { status, endpoint, cause: isAuthError(cause) ? cause : undefined })
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text)
    return isRecord(body) ? body : undefined
  } catch {
    return undefined
  }
}

// Network errors and timeouts have no status; of the statuses, 408, 429 and 5xx are worth another try.
function isRetryable({ status = 500 }: AuthError): boolean {
  return status === 408 || status === 429 || status >= 500
}

function backoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt)
  return ceiling / 2 + (random() * ceiling) / 2
}

/** Seconds, from a number of seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000
  return seconds >= 0 ? seconds : seconds < 0 ? 0 : undefined
}
