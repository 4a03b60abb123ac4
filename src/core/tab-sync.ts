import { AuthError } from './errors.js'
import type { ChannelLike, LockManagerLike } from './types.js'

/** A token as tabs share it: expiry on the (common) local clock. */
export interface SharedToken {
  token: string
  expiresAt: number
  lifetime: number
}

export type TabMessage =
  | ({ type: 'token'; cause: 'login' | 'refresh' } & SharedToken)
  | { type: 'logout' }
  | { type: 'expired' }
  | { type: 'ask'; id: string }
  | ({ type: 'answer'; id: string } & SharedToken)

type Incoming = Exclude<TabMessage, { type: 'ask' } | { type: 'answer' }>

export interface TabSyncOptions {
  key: string
  locks: LockManagerLike | null
  channel: ((name: string) => ChannelLike) | null
  /** The longest wait for the lock (ms); a holder never keeps it longer than its own refresh takes. */
  lockTimeout: number
  /** This tab's token for a tab that asks, if it has a fresh one. */
  answer: () => SharedToken | undefined
  onMessage: (message: Incoming) => void
}

const PROTOCOL = 'tokenkeeper/1'
// How long a tab granted a contended lock waits for the holder's news.
const HANDOFF_WAIT = 200

/**
 * Web Lock + BroadcastChannel. Either may be missing (old browsers, test
 * environments): then this tab simply behaves as if it were the only one.
 */
export function createTabSync(options: TabSyncOptions) {
  const channel = options.channel?.(options.key) ?? null
  const waiting = new Map<string, (shared: SharedToken) => void>()
  // News from other tabs (token, logout, expired) so far, and who waits for the next.
  let heard = 0
  const listeners = new Set<() => void>()

  const onMessage = (event: MessageEvent) => {
    const message = readMessage(event.data)
    if (!message) return
    if (message.type === 'ask') {
      const shared = options.answer()
      if (shared) post({ type: 'answer', id: message.id, ...shared })
    } else if (message.type === 'answer') {
      waiting.get(message.id)?.(message)
    } else {
      heard++
      options.onMessage(message)
      for (const listener of [...listeners]) listener()
    }
  }
  channel?.addEventListener('message', onMessage)

  function post(message: TabMessage) {
    try {
      channel?.postMessage({ protocol: PROTOCOL, ...message })
    } catch {
      // A closed channel: this tab is going away; nobody is left to tell.
    }
  }

  async function withLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = options.locks
    if (!locks) return task()
    const heardBefore = heard
    let granted = false
    const value = await locks.request(options.key, { ifAvailable: true }, async (lock) => {
      if (!lock) return
      granted = true
      return task()
    })
    if (granted) return value as T
    // Another tab holds the lock, most likely refreshing: wait for it (bounded).
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.lockTimeout)
    try {
      return await locks.request(options.key, { signal: controller.signal }, async () => {
        clearTimeout(timer)
        // The holder posts its token just before releasing the lock, yet the grant
        // can reach us before the message does (seen in Chromium): let it arrive.
        if (channel && heard === heardBefore) await nextNews(HANDOFF_WAIT)
        return task()
      })
    } catch (error) {
      throw controller.signal.aborted && !(error instanceof AuthError) ? new AuthError('timeout') : error
    } finally {
      clearTimeout(timer)
    }
  }

  function nextNews(wait: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        listeners.delete(done)
        resolve()
      }
      const timer = setTimeout(done, wait)
      listeners.add(done)
    })
  }

  /** Asks the open tabs for a fresh token; undefined when none answers within `wait` ms. */
  function ask(wait: number): Promise<SharedToken | undefined> {
    if (!channel) return Promise.resolve(undefined)
    const id = Math.random().toString(36).slice(2)
    return new Promise((resolve) => {
      const finish = (shared?: SharedToken) => {
        clearTimeout(timer)
        waiting.delete(id)
        resolve(shared)
      }
      const timer = setTimeout(finish, wait)
      waiting.set(id, finish)
      post({ type: 'ask', id })
    })
  }

  function close() {
    for (const finish of [...waiting.values()]) (finish as (shared?: SharedToken) => void)()
    for (const listener of [...listeners]) listener()
    channel?.removeEventListener('message', onMessage)
    channel?.close()
  }

  return { withLock, post, ask, close }
}

const TYPES = ['token', 'logout', 'expired', 'ask', 'answer']

/**
 * Only messages of our protocol get through. Their tokens and numbers are
 * checked where they are used (sessionFromTab), never trusted as they come.
 */
function readMessage(data: unknown): TabMessage | undefined {
  const message = data as Record<string, unknown> | null
  return typeof message === 'object' &&
    message?.protocol === PROTOCOL &&
    TYPES.includes(message.type as string) &&
    (message.type === 'logout' || message.type === 'expired' || typeof (message.id ?? message.token) === 'string')
    ? (message as unknown as TabMessage)
    : undefined
}
