import type { JwtPayload } from 'jwt-decode'
import { createOriginCheck } from './allowlist.js'
import { createAuthFetch } from './auth-fetch.js'
import { createEmitter } from './emitter.js'
import { AuthError, isAuthError } from './errors.js'
import { resolveOptions } from './options.js'
import { postWithRetry, readTokenAnswer } from './refresher.js'
import { createScheduler } from './scheduler.js'
import { createSingleFlight } from './single-flight.js'
import { createTabSync, type SharedToken, type TabMessage } from './tab-sync.js'
import { createSession, leewayMs, sessionFromTab, type Session } from './token.js'
import type { AuthClient, AuthEvents, AuthOptions, AuthState, RegisteredClaims } from './types.js'

// A timer-driven refresh never comes sooner than this after the last one (oidc-client-ts#996).
const MIN_REFRESH_SPACING = 1_000
const RETRY_AFTER_FAILURE = 10_000
const ASK_TABS_WAIT = 150
const UNKNOWN = Object.freeze({ status: 'unknown' as const })

const liveKeys = new Map<string, number>()

/** Wires the modules together and owns the session, the state and the events. */
export function createAuthClient<Claims extends JwtPayload = RegisteredClaims>(
  options: AuthOptions = {},
): AuthClient<Claims> {
  const config = resolveOptions(options)
  const { now } = config
  const lifecycle = new AbortController()
  const events = createEmitter<AuthEvents<Claims> & { state: AuthState<Claims> }>()
  const flight = createSingleFlight<Session<Claims>>()
  const scheduler = createScheduler({ now, onDue: refreshInBackground })
  const tabs = createTabSync({
    ...config.crossTab,
    lockTimeout: (config.timeout + 10_000) * (config.retries + 1),
    answer: shareSession,
    onMessage: onTabMessage,
  })
  warnOnSharedKey(config.crossTab.key)

  let session: Session<Claims> | undefined
  let freshUntil = 0
  let state: AuthState<Claims> = UNKNOWN
  // Bumped by login, logout and destroy: a refresh that began before them is dropped.
  let epoch = 0
  let destroyed = false
  let restoring: Promise<unknown> | undefined

  function setState(next: AuthState<Claims>) {
    state = Object.freeze(next)
    events.emit('state', state)
  }

  function adopt(next: Session<Claims>, isNewToken: boolean) {
    session = next
    const leeway = leewayMs(next.lifetime, config.refreshLeeway)
    freshUntil = next.expiresAt - leeway
    const jitter = Math.random() * Math.min(5_000, next.lifetime * 0.05)
    const refreshAt = Math.max(freshUntil - jitter, now() + MIN_REFRESH_SPACING)
    scheduler.schedule(refreshAt)
    setState({ status: 'authenticated', claims: next.claims, expiresAt: next.expiresAt, refreshAt })
    if (isNewToken) events.emit('refresh', state as AuthEvents<Claims>['refresh'])
  }

  function endSession(reason: 'logout' | 'session_expired' | 'no_session') {
    session = undefined
    freshUntil = 0
    scheduler.cancel()
    setState({ status: 'unauthenticated', reason })
  }

  const isFresh = () => session !== undefined && now() < freshUntil

  // Tabs share the session as it is: the receiver decodes the token again.
  function shareSession(): SharedToken | undefined {
    return isFresh() ? session : undefined
  }

  function dropped(): AuthError {
    return new AuthError(destroyed ? 'destroyed' : 'session_expired')
  }

  function endpointCall(url: string, retries: number) {
    const { fetch, authHeaders: headers, timeout } = config
    return { fetch, url, headers, timeout, retries, signal: lifecycle.signal }
  }

  async function fetchSession(url: string, retries: number, body?: unknown) {
    const answer = await postWithRetry({ ...endpointCall(url, retries), body })
    if (answer.status < 200 || answer.status > 299) return answer.status
    const { accessToken, expiresIn } = readTokenAnswer(answer, config.parseTokenResponse)
    return createSession<Claims>(accessToken, expiresIn, now())
  }

  function refreshSession(): Promise<Session<Claims>> {
    return flight.run(async () => {
      const startEpoch = epoch
      const before = session
      try {
        const next = await tabs.withLock(async () => {
          if (epoch !== startEpoch) throw dropped()
          // Another tab refreshed while we waited for the lock: its token is ours.
          if (session !== before && isFresh()) return session!
          const fetched = await fetchSession(config.urls.refresh, config.retries)
          if (typeof fetched === 'number') throw new AuthError('session_expired', { status: fetched })
          if (epoch !== startEpoch) throw dropped()
          tabs.post({ type: 'token', cause: 'refresh', ...fetched })
          return fetched
        })
        // Subscribers hear of it only now, after the lock is released.
        if (epoch !== startEpoch) throw dropped()
        if (next !== session) adopt(next, true)
        return next
      } catch (error) {
        if (epoch === startEpoch) onRefreshFailure(error)
        throw error
      }
    })
  }

  function onRefreshFailure(error: unknown) {
    if (!isAuthError(error) || error.code === 'destroyed') return
    if (error.code !== 'session_expired') return events.emit('error', error)
    if (state.status !== 'authenticated') return endSession('no_session')
    epoch++
    endSession('session_expired')
    tabs.post({ type: 'expired' })
    events.emit('session_expired', error)
  }

  function refreshInBackground() {
    // Reported through the 'error' event; a session that is still on tries again later.
    refreshSession().catch(() => {
      if (session && !destroyed) scheduler.schedule(now() + RETRY_AFTER_FAILURE)
    })
  }

  function onTabMessage(message: Exclude<TabMessage, { type: 'ask' } | { type: 'answer' }>) {
    if (destroyed) return
    if (message.type === 'logout' || message.type === 'expired') {
      if (state.status !== 'authenticated') return
      epoch++
      endSession(message.type === 'logout' ? 'logout' : 'session_expired')
      if (message.type === 'logout') events.emit('logout', undefined)
      return
    }
    // A refresh that another tab began before a logout here must not log us back in.
    if (message.cause === 'refresh' && state.status === 'unauthenticated') return
    if (message.token === session?.token) return
    try {
      const next = sessionFromTab<Claims>(message, now())
      if (message.cause === 'login') epoch++
      adopt(next, message.cause === 'refresh')
    } catch {
      // Not a token we can use: ignore it rather than trust it.
    }
  }

  function assertAlive() {
    if (destroyed) throw new AuthError('destroyed')
  }

  async function restoreOnce() {
    const shared = await tabs.ask(ASK_TABS_WAIT)
    if (state.status !== 'unknown') return
    if (shared) {
      try {
        return adopt(sessionFromTab<Claims>(shared, now()), false)
      } catch {
        // fall through to a refresh
      }
    }
    await refreshSession().catch((error) => {
      if (!isAuthError(error, 'session_expired')) throw error
    })
  }

  async function restore(): Promise<AuthState<Claims>> {
    assertAlive()
    if (!restoring) {
      restoring = restoreOnce()
      // A failed restore (network) may be tried again.
      restoring.catch(() => (restoring = undefined))
    }
    await restoring
    return state
  }

  async function getAccessToken(): Promise<string | null> {
    assertAlive()
    if (state.status === 'unknown') await restore()
    if (!session) return null
    if (isFresh()) return session.token
    try {
      return (await refreshSession()).token
    } catch (error) {
      if (isAuthError(error, 'session_expired')) return null
      throw error
    }
  }

  const authFetch = createAuthFetch({
    fetch: config.fetch,
    isAllowed: createOriginCheck(config.baseOrigin, config.allowedOrigins),
    tokenForRequest: () => {
      if (isFresh()) return session!.token
      return state.status === 'unauthenticated' ? null : getAccessToken()
    },
    currentToken: () => session?.token ?? null,
    tokenAfter401: async (sent) => {
      if (!session || session.token !== sent) return session?.token ?? null
      return (await refreshSession()).token
    },
    assertAlive,
  })

  return {
    restore,
    async login(body) {
      assertAlive()
      const startEpoch = ++epoch
      const fetched = await fetchSession(config.urls.login, 0, body)
      if (typeof fetched === 'number') throw new AuthError('invalid_credentials', { status: fetched })
      if (epoch !== startEpoch) throw dropped()
      adopt(fetched, false)
      tabs.post({ type: 'token', cause: 'login', ...fetched })
      return state
    },
    async logout() {
      assertAlive()
      epoch++
      // Local state first: an offline logout must still end the session here (supabase-js#2501).
      endSession('logout')
      tabs.post({ type: 'logout' })
      events.emit('logout', undefined)
      await postWithRetry(endpointCall(config.urls.logout, 0)).catch(() => {})
    },
    getAccessToken,
    async refresh() {
      assertAlive()
      return (await refreshSession()).token
    },
    setAccessToken(token, expiresIn) {
      assertAlive()
      const next = createSession<Claims>(token, expiresIn, now())
      epoch++
      adopt(next, false)
      tabs.post({ type: 'token', cause: 'login', ...next })
    },
    fetch: authFetch,
    getState: () => state,
    subscribe: (listener) => (destroyed ? () => {} : events.on('state', listener)),
    on: (event, listener) => (destroyed ? () => {} : events.on(event, listener)),
    destroy() {
      if (destroyed) return
      destroyed = true
      epoch++
      lifecycle.abort()
      scheduler.cancel()
      tabs.close()
      events.clear()
      releaseKey(config.crossTab.key)
    },
  }
}

// Two live clients on one key race each other for the same cookie (supabase-js#1767).
function warnOnSharedKey(key: string) {
  const count = (liveKeys.get(key) ?? 0) + 1
  liveKeys.set(key, count)
  if (count === 2) {
    console.warn(`tokenkeeper: a second auth client was created for "${key}"; share one client per app.`)
  }
}

function releaseKey(key: string) {
  const count = (liveKeys.get(key) ?? 1) - 1
  if (count > 0) liveKeys.set(key, count)
  else liveKeys.delete(key)
}
