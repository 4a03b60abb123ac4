// One refresh at a time (in this tab, and across tabs through the lock); a refusal ends the session once
// (msal#6585); a transient failure never does, and no refresh starts before the next backoff step
// whatever the traffic (supabase auth-js PR#710: retry, and show the error).
import type { JwtPayload } from 'jwt-decode'
import { callEndpoint, type EndpointConfig } from './endpoint.js'
import { AuthError, isAuthError } from './errors.js'
import type { SessionStore } from './session.js'
import { createSingleFlight } from './single-flight.js'
import type { createTabSync } from './tab-sync.js'
import { sessionFromTab, type Session } from './token.js'
import type { Emit } from './emitter.js'
import type { AuthEvents, ClientEvents, AuthState } from './types.js'
import { warnOnce } from './warn.js'

const BACKOFF_FIRST_MS = 1_000
const BACKOFF_MAX_MS = 30_000
// How long a new tab waits for an open tab's token (only when another tab is open).
const ASK_TABS_WAIT_MS = 150

export function createRefresher<Claims extends JwtPayload>(
  config: EndpointConfig,
  store: SessionStore<Claims>,
  tabs: ReturnType<typeof createTabSync<Claims>>,
  scheduler: { retry: (delay: number) => void },
  emit: Emit<ClientEvents<Claims>>,
  /** Aborted by destroy. */
  signal: AbortSignal,
) {
  const flight = createSingleFlight<Session<Claims>>()
  let failures = 0
  let notBefore = 0
  let lastError: AuthError | undefined
  let restoring: Promise<AuthState<Claims>> | undefined
  let hasAskedTabs = false

  /** Why a call begun before a logout, login or destroy is dropped. */
  const dropped = () => (signal.aborted ? signal.reason : new AuthError('session_expired'))

  function refresh(): Promise<Session<Claims>> {
    return flight(async () => {
      if (signal.aborted) throw signal.reason
      if (config.now() < notBefore) throw lastError
      const call = store.begin()
      try {
        const next = await tabs.withLock(async () => {
          if (!call.isCurrent()) throw dropped()
          const fetched = (await callEndpoint<Claims>(config, 'refresh', undefined, signal))!
          if (!call.isCurrent()) throw dropped()
          tabs.post({ ...fetched, type: 'refresh' })
          return fetched
        })
        // Subscribers hear of it only now, after the lock is released.
        if (!call.isCurrent()) throw dropped()
        succeeded()
        if (next !== store.get()) {
          store.adopt(next)
          emit('refresh', store.state() as AuthEvents<Claims>['refresh'])
        }
        return next
      } catch (error) {
        if (call.isCurrent() && !signal.aborted) failed(error as AuthError)
        throw error
      }
    })
  }

  function failed(error: AuthError) {
    const { status } = store.state()
    if (error.code === 'session_expired') {
      if (status !== 'authenticated') return store.end('no_session')
      if (process.env.NODE_ENV !== 'production' && error.reason === 'missing') {
        warnOnce(
          'the refresh cookie did not come back: check its SameSite, Secure and Path attributes, ' +
            "and that the auth endpoints are same-site (fetch sends them with credentials: 'include').",
        )
      }
      store.end('session_expired')
      tabs.post({ type: 'expired' })
      return emit('session_expired', error)
    }
    const delay = Math.max(Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** failures++), (error.retryAfter ?? 0) * 1000)
    notBefore = config.now() + delay
    lastError = error
    store.fail(error)
    if (status !== 'unauthenticated') scheduler.retry(delay)
    emit('error', error)
  }

  /** A new token came from the server: the backoff starts over. */
  function succeeded() {
    failures = notBefore = 0
  }

  async function restoreOnce(): Promise<AuthState<Claims>> {
    if (!hasAskedTabs) {
      hasAskedTabs = true
      const shared = await tabs.ask(ASK_TABS_WAIT_MS)
      try {
        if (shared && store.state().status === 'unknown') store.adopt(sessionFromTab<Claims>(shared, config.now()))
      } catch {
        // not a token we can use: refresh instead
      }
    }
    if (store.state().status === 'unknown') {
      await refresh().catch((error) => {
        if (!isAuthError(error, 'session_expired')) throw error
      })
    }
    return store.state()
  }

  /** Once per client: later calls join it, or resolve the known state. Outside a browser: unknown, no network. */
  async function restore(): Promise<AuthState<Claims>> {
    if (signal.aborted) throw signal.reason
    if (store.state().status !== 'unknown' || typeof document === 'undefined') return store.state()
    return (restoring ??= restoreOnce().finally(() => (restoring = undefined)))
  }

  return {
    refresh,
    restore,
    succeeded,
    dropped,
    /** The scheduler's call: a planned refresh, or the next attempt after a failure (its backoff is over). */
    onDue() {
      notBefore = 0
      void (store.state().status === 'unknown' ? restore() : refresh()).catch(() => {})
    },
    async getAccessToken(): Promise<string | null> {
      if (signal.aborted) throw signal.reason
      if (store.state().status === 'unknown') await restore()
      if (!store.get()) return null
      try {
        return (store.fresh() ?? (await refresh())).token
      } catch (error) {
        if (isAuthError(error, 'session_expired')) return null
        throw error
      }
    },
  }
}
