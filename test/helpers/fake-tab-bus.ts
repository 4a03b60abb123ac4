import type { ChannelLike, CrossTabOptions, LockManagerLike } from '../../src/index.ts'

/**
 * In-memory stand-ins for navigator.locks and BroadcastChannel, shared by the
 * "tabs" of one test. Messages arrive asynchronously, as in a browser.
 */
export function createFakeTabBus(options: { latency?: number } = {}) {
  const channels = new Set<FakeChannel>()
  const queues = new Map<string, Promise<unknown>>()
  const posted: unknown[] = []
  let lockRequests = 0

  class FakeChannel implements ChannelLike {
    private listeners = new Set<(event: MessageEvent) => void>()
    constructor(readonly name: string) {
      channels.add(this)
    }
    postMessage(message: unknown) {
      posted.push(message)
      const data = structuredClone(message)
      for (const other of channels) {
        if (other !== this && other.name === this.name) setTimeout(() => other.deliver(data), options.latency ?? 0)
      }
    }
    deliver(data: unknown) {
      for (const listener of [...this.listeners]) listener(new MessageEvent('message', { data }))
    }
    addEventListener(_: 'message', listener: (event: MessageEvent) => void) {
      this.listeners.add(listener)
    }
    removeEventListener(_: 'message', listener: (event: MessageEvent) => void) {
      this.listeners.delete(listener)
    }
    close() {
      channels.delete(this)
      this.listeners.clear()
    }
  }

  // A FIFO exclusive lock per name, released when the callback's promise settles.
  // `queued` counts requests granted or waiting; `granted` lists the names held now.
  const queued = new Map<string, number>()
  const granted: string[] = []
  const locks: LockManagerLike = {
    request(name, options, callback) {
      lockRequests++
      if (options.ifAvailable && (queued.get(name) ?? 0) > 0) return callback(null)
      queued.set(name, (queued.get(name) ?? 0) + 1)
      const previous = queues.get(name) ?? Promise.resolve()
      let aborted = false
      const run = previous
        .then(() => {
          if (aborted) throw new DOMException('aborted', 'AbortError')
          granted.push(name)
          return callback({ name }).finally(() => granted.splice(granted.indexOf(name), 1))
        })
        .finally(() => queued.set(name, queued.get(name)! - 1))
      queues.set(
        name,
        run.catch(() => {}),
      )
      options.signal?.addEventListener('abort', () => (aborted = true))
      return run
    },
    query: async () => ({ held: granted.map((name) => ({ name })) }),
  }

  return {
    /** The crossTab option for one tab. */
    tab(key = 'test-key'): CrossTabOptions {
      return { key, locks, channel: (name) => new FakeChannel(name) }
    },
    /** Sends raw data to every tab, as a foreign script on the page could. */
    inject(data: unknown, name = 'test-key') {
      for (const channel of channels) if (channel.name === name) setTimeout(() => channel.deliver(data), 0)
    },
    posted,
    /** Whether a tab holds the lock `name` now. */
    isHeld: (name = 'test-key') => granted.includes(name),
    /** A tab that takes the lock and never gives it back (a hung refresh elsewhere). */
    holdForever(name = 'test-key') {
      void locks.request(name, {}, () => new Promise(() => {}))
    },
    get lockRequests() {
      return lockRequests
    },
    get openChannels() {
      return channels.size
    },
  }
}
