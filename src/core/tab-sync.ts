// Tabs share one session: a Web Lock around the refresh and a BroadcastChannel for its news,
// so with rotation no two tabs ever spend the same cookie (supabase auth-js#213, auth0-spa-js#553).
import type { JwtPayload } from 'jwt-decode'
import { AuthError } from './errors.js'
import type { SessionStore } from './session.js'
import { sessionFromTab, type Session, type SharedToken } from './token.js'
import type { Emit } from './emitter.js'
import type { AuthEvents, ClientEvents, ChannelLike, LockManagerLike } from './types.js'
import { wait } from './wait.js'

export type TabMessage =
  | ({ type: 'token'; cause: 'login' | 'refresh' } & SharedToken)
  | { type: 'logout' | 'expired' }
  | { type: 'ask'; id: string }
  | ({ type: 'answer'; id: string } & SharedToken)

export interface TabSyncOptions<Claims extends JwtPayload> {
  key: string
  locks: LockManagerLike | null
  channel: ((name: string) => ChannelLike) | null
  /** The longest wait for the lock (ms), derived from the holder's worst case. */
  lockWait: number
  store: SessionStore<Claims>
  now: () => number
  random: () => number
  emit: Emit<ClientEvents<Claims>>
  /** Aborted by destroy: every wait ends at once. */
  signal: AbortSignal
}

const PROTOCOL = 'tokenkeeper/1'
// How long a tab granted a contended lock waits for the holder's news: the grant
// can reach it before the holder's message does (seen in Chromium).
const HANDOFF_WAIT_MS = 200

/**
 * Either the lock or the channel may be missing (old browsers, tests, SSR and
 * Node, where nothing is opened that could keep the process alive): then this
 * tab behaves as if it were the only one.
 */
export function createTabSync<Claims extends JwtPayload>(options: TabSyncOptions<Claims>) {
  const { locks, store, signal } = options
  const presence = `${options.key}/tab/`
  const me = presence + options.random()
  let heard = 0
  let news: Promise<void> | undefined
  let tell = () => {}
  let onAnswer: ((message: SharedToken & { id: string }) => void) | undefined

  const channel = options.channel?.(options.key) ?? null
  channel?.addEventListener('message', (event) => receive(event.data))
  // Held until destroy, so a new tab can see that it is not alone.
  locks?.request(me, { signal }, () => wait(undefined, undefined, signal)).catch(() => {})

  function receive(message: TabMessage) {
    if ((message as { protocol?: unknown })?.protocol !== PROTOCOL || signal.aborted) return
    if (message.type === 'ask') {
      const fresh = store.fresh()
      if (fresh) post({ type: 'answer', id: message.id, ...share(fresh) })
      return
    }
    if (message.type === 'answer') return onAnswer?.(message)
    heard++
    tell()
    news = undefined
    if (message.type === 'token') adoptShared(message)
    else if ((message.type === 'logout' || message.type === 'expired') && store.state().status === 'authenticated') {
      store.end(message.type === 'logout' ? 'logout' : 'session_expired')
      if (message.type === 'logout') options.emit('logout', undefined)
    }
  }

  function adoptShared(message: Extract<TabMessage, { type: 'token' }>) {
    // A refresh that another tab began before a logout here must not log us back in.
    if (message.cause === 'refresh' && store.state().status === 'unauthenticated') return
    if (message.token === store.get()?.token) return
    let next: Session<Claims>
    try {
      next = sessionFromTab<Claims>(message, options.now())
    } catch {
      return // not a token we can use: ignore it rather than trust it
    }
    // Another tab's login starts a new generation here too: our late refreshes are dropped.
    if (message.cause === 'login') store.supersede()
    store.adopt(next)
    if (message.cause === 'refresh') options.emit('refresh', store.state() as AuthEvents<Claims>['refresh'])
  }

  function post(message: TabMessage) {
    try {
      channel?.postMessage({ protocol: PROTOCOL, ...message })
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
    const immediate = await locks.request(options.key, { ifAvailable: true }, async (lock) => {
      if (lock) return task()
      isContended = true
    })
    if (!isContended) return immediate!
    const controller = new AbortController()
    const granted = locks.request(options.key, { signal: controller.signal }, async () => {
      if (heard === heardBefore)
        await wait((news ??= new Promise<void>((resolve) => (tell = resolve))), HANDOFF_WAIT_MS)
      const fresh = heard !== heardBefore && store.fresh()
      return fresh || task()
    })
    return wait(granted, options.lockWait, signal, new AuthError('timeout')).finally(() => controller.abort())
  }

  /** A fresh token from an open tab; undefined when none answers, at once when this tab is alone. */
  async function ask(ms: number): Promise<SharedToken | undefined> {
    if (!channel || !(await hasPeers())) return undefined
    const id = String(options.random())
    const answer = new Promise<SharedToken>(
      (resolve) => (onAnswer = (message) => message.id === id && resolve(message)),
    )
    post({ type: 'ask', id })
    return wait(answer, ms, signal, undefined).finally(() => (onAnswer = undefined))
  }

  async function hasPeers(): Promise<boolean> {
    if (!locks?.query) return true
    const { held = [] } = await locks.query()
    return held.some(({ name }) => name?.startsWith(presence) && name !== me)
  }

  return {
    post,
    /** Tells the other tabs about a token this tab obtained. */
    share: (next: Session<Claims>, cause: 'login' | 'refresh') => post({ type: 'token', cause, ...share(next) }),
    withLock,
    ask,
    close: () => channel?.close(),
  }
}

function share({ token, expiresAt, lifetime }: SharedToken): SharedToken {
  return { token, expiresAt, lifetime }
}
