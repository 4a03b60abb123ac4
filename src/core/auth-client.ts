// createAuthClient wires the modules; the rules live in them (STYLE.md "Our shape").
import type { JwtPayload } from 'jwt-decode'
import { createOriginCheck } from './allowlist.js'
import { createAuthFetch } from './auth-fetch.js'
import { createEmitter } from './emitter.js'
import { callEndpoint, worstCaseMs } from './endpoint.js'
import { AuthError, isAuthError } from './errors.js'
import { resolveOptions } from './options.js'
import { createRefresher } from './refresher.js'
import { createScheduler } from './scheduler.js'
import { createSessionStore } from './session.js'
import { createTabSync } from './tab-sync.js'
import { createSession, leewayMs, type Session } from './token.js'
import type { AuthClient, AuthOptions, ClientEvents, RegisteredClaims } from './types.js'
import { warnOnce } from './warn.js'

const liveKeys = new Set<string>()

/** Wires the modules together; every rule lives in one of them. */
export function createAuthClient<Claims extends JwtPayload = RegisteredClaims>(
  options: AuthOptions = {},
): AuthClient<Claims> {
  const config = resolveOptions(options)
  const lifecycle = new AbortController()
  const { signal } = lifecycle
  const events = createEmitter<ClientEvents<Claims>>()
  const scheduler = createScheduler(config, () => refresher.onDue())
  const store = createSessionStore<Claims>(
    config.now,
    (lifetime) => leewayMs(lifetime, config.refreshLeeway),
    scheduler,
    (state) => events.emit('state', state),
  )
  const tabs = createTabSync<Claims>({ ...config, lockWait: 2 * worstCaseMs(config) }, store, events.emit, signal)
  const refresher = createRefresher<Claims>(config, store, tabs, scheduler, events.emit, signal)
  // Two live clients on one key race each other for the same cookie (supabase-js#1767).
  if (process.env.NODE_ENV !== 'production') {
    if (liveKeys.has(config.key)) {
      warnOnce(`a second auth client was created for "${config.key}"; share one client per app.`)
    }
    liveKeys.add(config.key)
    signal.addEventListener('abort', () => liveKeys.delete(config.key))
  }

  function alive() {
    if (signal.aborted) throw signal.reason
  }

  /** A token this tab obtained by login (or was handed): a new generation, shared with the other tabs. */
  function start(next: Session<Claims>) {
    refresher.succeeded()
    store.adopt(next)
    tabs.post({ ...next, type: 'login' })
    return store.state()
  }

  const refresh = async () => (await refresher.refresh()).token
  const isAllowed = createOriginCheck(config.baseOrigin, config.allowedOrigins)

  return {
    restore: refresher.restore,
    async login(body) {
      alive()
      store.supersede()
      const attempt = store.begin()
      const next = await callEndpoint<Claims>(config, 'login', body, signal).catch((error: unknown) => {
        // A server session may stand behind an answer we cannot use: end it (best effort).
        if (isAuthError(error, 'invalid_response')) callEndpoint(config, 'logout').catch(() => {})
        throw error
      })
      if (!attempt.isCurrent()) throw refresher.dropped()
      return start(next!)
    },
    async logout() {
      alive()
      const token = store.get()?.token
      // Local state first: an offline logout must still end the session here (supabase-js#2501).
      store.end('logout')
      tabs.post({ type: 'logout' })
      events.emit('logout', undefined)
      // Not tied to destroy: the server session must end even if the app tears down right after.
      await callEndpoint(
        config,
        'logout',
        undefined,
        undefined,
        isAllowed(config.urls.logout) ? token : undefined,
      ).catch((error: AuthError) => events.emit('error', error))
    },
    getAccessToken: refresher.getAccessToken,
    refresh,
    setAccessToken(token, expiresIn) {
      alive()
      const next = createSession<Claims>(token, expiresIn, config.now())
      store.supersede()
      start(next)
    },
    fetch: createAuthFetch({
      fetch: config.fetch,
      isAllowed,
      token: () =>
        store.fresh()?.token ?? (store.state().status === 'unauthenticated' ? null : refresher.getAccessToken()),
      current: () => store.get()?.token,
      refresh,
      maxWait: 2 * config.timeout,
      signal,
    }),
    getState: store.state,
    subscribe: (listener) => events.on('state', listener),
    on: (event, listener) => events.on(event, listener),
    destroy() {
      if (signal.aborted) return
      lifecycle.abort(new AuthError('destroyed'))
      scheduler.cancel()
      tabs.close()
      events.clear()
    },
  }
}
