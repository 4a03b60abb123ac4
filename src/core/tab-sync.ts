// Tabs share one session: a Web Lock around the refresh and a BroadcastChannel for its news,
// so with rotation no two tabs ever spend the same cookie (supabase auth-js#213, auth0-spa-js#553).
import type { JwtPayload } from 'jwt-decode'
import type { Emit } from './emitter.js'
import { AuthError } from './errors.js'
import type { ResolvedOptions } from './options.js'
import type { SessionStore } from './session.js'
import { sessionFromTab, type Session, type SharedToken } from './token.js'
import type { AuthEvents, ClientEvents } from './types.js'
import { wait } from './wait.js'

/** Tokens travel as they are: the receiving tab decodes and checks them again. */
export type TabMessage =
  ({ type: 'login' | 'refresh' | 'answer' } & SharedToken) | { type: 'logout' | 'expired' | 'ask' }

const PROTOCOL = 'tokenkeeper/2'
// How long a tab granted a contended lock waits for the holder's news: the grant
// can reach it before the holder's message does (seen in Chromium).
const HANDOFF_WAIT_MS = 200

/**
 * Either the lock or the channel may be missing (old browsers, tests, SSR and
 * Node, where nothing is opened that could keep the process alive): then this
 * tab behaves as if it were the only one.
 */
export function createTabSync<Claims extends JwtPayload>(
  config: Pick<ResolvedOptions, 'key' | 'locks' | 'channel' | 'now'> & { lockWait: number },
  store: SessionStore<Claims>,
  emit: Emit<ClientEvents<Claims>>,
  /** Aborted by destroy: every wait ends at once. */
  signal: AbortSignal,
) {
  const { key, locks } = config
  const presence = `${key}/tab/`
  // Not the injected random source: tests that pin it must still give each tab its own name.
  const me = presence + Math.random()
  let heard = 0
  let news: Promise<void> | undefined
  let tell = () => {}
  let onAnswer: ((shared: SharedToken) => void) | undefined

  const channel = config.channel?.(key) ?? null
  channel?.addEventListener('message', ({ data }) => {
    if (data?.protocol === PROTOCOL && !signal.aborted) receive(data)
  })
  // Held until destroy, so that a new tab can see it is not alone.
  locks?.request(me, { signal }, () => wait(undefined, undefined, signal)).catch(() => {})
  // Asked now, not when restore() asks the tabs: a query is a round trip to the browser process.
  const hasPeers = locks?.query
    ? locks.query().then(
        ({ held = [] }) => held.some(({ name }) => name?.startsWith(presence) && name !== me),
        () => true,
      )
    : Promise.resolve(true)

  function receive(message: TabMessage) {
    const { type } = message
    if (type === 'ask') {
      const fresh = store.fresh()
      return fresh && post({ ...fresh, type: 'answer' })
    }
    if (type === 'answer') return onAnswer?.(message)
    heard++
    tell()
    news = undefined
    if (type === 'login' || type === 'refresh') return adoptShared(message, type)
    if ((type === 'logout' || type === 'expired') && store.state().status === 'authenticated') {
      store.end(type === 'logout' ? type : 'session_expired')
      if (type === 'logout') emit('logout', undefined)
    }
  }

  function adoptShared(shared: SharedToken, cause: 'login' | 'refresh') {
    // A refresh that another tab began before a logout here must not log us back in.
    if ((cause === 'refresh' && store.state().status === 'unauthenticated') || shared.token === store.get()?.token)
      return
    let next: Session<Claims>
    try {
      next = sessionFromTab<Claims>(shared, config.now())
    } catch {
      return // not a token we can use: ignore it rather than trust it
    }
    // Another tab's login starts a new generation here too: our late refreshes are dropped.
    if (cause === 'login') store.supersede()
    store.adopt(next)
    if (cause === 'refresh') emit('refresh', store.state() as AuthEvents<Claims>['refresh'])
  }

  function post(message: TabMessage) {
    try {
      channel?.postMessage({ ...message, protocol: PROTOCOL })
    } catch {
      // A closed channel: this tab is going away; nobody is left to tell.
    }
  }

  /**
   * Runs `task` holding the lock. When another tab held it, this tab first waits
   * (bounded) for that tab's news and uses the token it refreshed, if any.
   */
  async function withLock(task: () => Promise<Session<Claims>>): Promise<Session<Claims>> {
    if (!locks) return task()
    const heardBefore = heard
    let isContended = false
    const immediate = await locks.request(key, { ifAvailable: true }, async (lock) => {
      if (lock) return task()
      isContended = true
    })
    if (!isContended) return immediate!
    const controller = new AbortController()
    const granted = locks.request(key, { signal: controller.signal }, async () => {
      if (heard === heardBefore) await wait((news ??= new Promise((resolve) => (tell = resolve))), HANDOFF_WAIT_MS)
      return (heard !== heardBefore && store.fresh()) || task()
    })
    return wait(granted, config.lockWait, signal, new AuthError('timeout')).finally(() => controller.abort())
  }

  /** A fresh token from an open tab; undefined when none answers, at once when this tab is alone. */
  async function ask(ms: number): Promise<SharedToken | undefined> {
    if (!channel || !(await hasPeers)) return undefined
    const answer = new Promise<SharedToken>((resolve) => (onAnswer = resolve))
    post({ type: 'ask' })
    return wait(answer, ms, signal, undefined).finally(() => (onAnswer = undefined))
  }

  return {
    post,
    withLock,
    ask,
    close: () => channel?.close(),
  }
}
