import { AuthError } from './errors.js'
import type { TokenResponse } from './types.js'

export interface EndpointCall {
  fetch: typeof fetch
  url: string
  headers: Record<string, string>
  /** Sent as JSON when present. */
  body?: unknown
  /** ms per attempt, body included */
  timeout: number
  retries: number
  /** Aborted when the client is destroyed. */
  signal: AbortSignal
}

export interface EndpointAnswer {
  status: number
  /** Read only for 2xx answers. */
  text: string
  contentType: string | null
}

const BACKOFF_BASE = 300
const BACKOFF_MAX = 10_000
const MAX_RETRY_AFTER = 60_000

/**
 * POSTs to an auth endpoint with a timeout, retrying network errors, 408, 429
 * and 5xx with exponential backoff and jitter (Retry-After honoured). Any other
 * answer is returned for the caller to judge.
 */
export async function postWithRetry(call: EndpointCall): Promise<EndpointAnswer> {
  for (let attempt = 0; ; attempt++) {
    if (call.signal.aborted) throw new AuthError('destroyed')
    let failure: AuthError
    let retryAfter: number | undefined
    try {
      await whenOnline(call.timeout, call.signal)
      const answer = await postOnce(call)
      if (!isRetryable(answer.status)) return answer
      failure = new AuthError('network', { status: answer.status })
      retryAfter = answer.retryAfter
    } catch (error) {
      if (call.signal.aborted) throw new AuthError('destroyed')
      failure = error instanceof AuthError ? error : new AuthError('network', { cause: error })
    }
    const delay = Math.max(backoff(attempt), retryAfter ?? 0)
    if (attempt >= call.retries || delay > MAX_RETRY_AFTER) throw failure
    await sleep(delay, call.signal)
  }
}

async function postOnce(call: EndpointCall): Promise<EndpointAnswer & { retryAfter?: number }> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let onDestroy = () => {}
  // Raced as well as aborted: an injected fetch that ignores its signal must not hang us.
  const deadline = new Promise<never>((_, reject) => {
    const stop = (error: AuthError) => () => {
      controller.abort()
      reject(error)
    }
    timer = setTimeout(stop(new AuthError('timeout')), call.timeout)
    onDestroy = stop(new AuthError('destroyed'))
    call.signal.addEventListener('abort', onDestroy)
  })
  try {
    return await Promise.race([deadline, send(call, controller.signal)])
  } catch (cause) {
    throw cause instanceof AuthError ? cause : new AuthError('network', { cause })
  } finally {
    clearTimeout(timer)
    call.signal.removeEventListener('abort', onDestroy)
  }
}

async function send(call: EndpointCall, signal: AbortSignal): Promise<EndpointAnswer & { retryAfter?: number }> {
  const response = await call.fetch(call.url, {
    method: 'POST',
    credentials: 'include',
    cache: 'no-store',
    headers: {
      Accept: 'application/json',
      ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...call.headers,
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    signal,
  })
  const contentType = response.headers.get('content-type')
  if (!response.ok) {
    void response.body?.cancel().catch(() => {})
    return { status: response.status, text: '', contentType, retryAfter: parseRetryAfter(response) }
  }
  return { status: response.status, text: await response.text(), contentType }
}

/** Turns a 2xx answer into a token response, or throws `invalid_token`. */
export function readTokenAnswer(answer: EndpointAnswer, parse: (body: any) => TokenResponse): TokenResponse {
  const status = answer.status
  if (answer.contentType !== null && !/[/+]json\b/i.test(answer.contentType)) {
    throw new AuthError('invalid_token', { status })
  }
  let parsed: TokenResponse
  try {
    parsed = parse(JSON.parse(answer.text))
  } catch {
    throw new AuthError('invalid_token', { status })
  }
  if (typeof parsed?.accessToken !== 'string' || parsed.accessToken === '') {
    throw new AuthError('invalid_token', { status })
  }
  return parsed
}

export function parseTokenResponse(body: any): TokenResponse {
  const accessToken = body?.access_token ?? body?.accessToken ?? body?.token
  const rawExpiresIn = body?.expires_in ?? body?.expiresIn
  const expiresIn = rawExpiresIn === undefined ? undefined : Number(rawExpiresIn)
  return { accessToken, expiresIn }
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX, BACKOFF_BASE * 2 ** attempt)
  return ceiling / 2 + (Math.random() * ceiling) / 2
}

function parseRetryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Waits `ms`, or less when `wakeOn` fires; rejects `destroyed` when the signal aborts. */
function sleep(ms: number, signal: AbortSignal, wakeOn?: [EventTarget, string]): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', finish)
      wakeOn?.[0].removeEventListener(wakeOn[1], finish)
      if (signal.aborted) reject(new AuthError('destroyed'))
      else resolve()
    }
    const timer = setTimeout(finish, ms)
    signal.addEventListener('abort', finish)
    wakeOn?.[0].addEventListener(wakeOn[1], finish)
    if (signal.aborted) finish()
  })
}

/** Offline, waits for `online` (at most `limit` ms) rather than burning a retry. */
function whenOnline(limit: number, signal: AbortSignal): Promise<void> {
  if (typeof window === 'undefined' || navigator.onLine !== false) return Promise.resolve()
  return sleep(limit, signal, [window, 'online'])
}
