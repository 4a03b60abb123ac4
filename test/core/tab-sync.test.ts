import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, type AuthClient, type LockManagerLike } from '../../src/index.ts'
import { makeJwt, makeToken } from '../helpers/make-jwt.ts'
import { createFakeAuthServer, json, type FakeAuthServer } from '../helpers/fake-auth-server.ts'
import { createFakeTabBus } from '../helpers/fake-tab-bus.ts'

let server: FakeAuthServer
let bus: ReturnType<typeof createFakeTabBus>
let tabs: AuthClient[]

/** Runs timers until the promise settles: the lock hand-off waits one timer turn. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false
  promise.then(
    () => (done = true),
    () => (done = true),
  )
  for (let turn = 0; turn < 1000 && !done; turn++) await vi.advanceTimersByTimeAsync(1)
  return promise
}

function openTab(options: Parameters<typeof createAuthClient>[0] = {}) {
  const tab = createAuthClient({ baseUrl: 'https://app.test', crossTab: bus.tab(), fetch: server.fetch, ...options })
  tabs.push(tab)
  return tab
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  server = createFakeAuthServer({ lifetime: 60 })
  bus = createFakeTabBus()
  tabs = []
})
afterEach(() => {
  for (const tab of tabs) tab.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('one refresh per browser', () => {
  it('lets a tab that waited for the lock use the token another tab just got', async () => {
    const [a, b] = [openTab(), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    expect(b.getState().status).toBe('authenticated')
    const gate = server.holdRefresh()
    const first = a.refresh()
    const second = b.refresh()
    await vi.advanceTimersByTimeAsync(0)
    gate.resolve(true)
    expect(await settle(second)).toBe(await settle(first))
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it("waits for the holder's token when the lock is granted before its message arrives", async () => {
    bus = createFakeTabBus({ latency: 20 })
    const [a, b] = [openTab(), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(20)
    const gate = server.holdRefresh()
    const first = a.refresh()
    await vi.advanceTimersByTimeAsync(0)
    const second = b.refresh()
    await vi.advanceTimersByTimeAsync(0)
    gate.resolve(true)
    expect(await settle(second)).toBe(await settle(first))
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('refreshes itself when the holder sends no news within the hand-off wait', async () => {
    const [a, b] = [openTab({ retries: 0 }), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    server.answerRefresh(() => Promise.reject(new TypeError('offline')))
    const failing = a.refresh()
    const second = b.refresh()
    await expect(settle(failing)).rejects.toMatchObject({ code: 'network' })
    await vi.advanceTimersByTimeAsync(150)
    expect(server.count('/auth/refresh')).toBe(1)
    await settle(second)
    expect(server.count('/auth/refresh')).toBe(2)
  })

  it('makes at most one refresh per lifetime with four idle tabs calling the API', async () => {
    // Jitter from a seeded source: the same run every time.
    let seed = 1
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647
    const first = openTab({ random })
    await first.login({ password: 'right' })
    for (let i = 0; i < 3; i++) openTab({ random })
    await vi.advanceTimersByTimeAsync(0)
    let unauthorized = 0
    for (let t = 0; t < 5 * 60_000; t += 300) {
      const pending = Promise.all(tabs.map((tab) => tab.fetch('/api/me')))
      await vi.advanceTimersByTimeAsync(300)
      const responses = await pending
      unauthorized += responses.filter((response) => response.status === 401).length
    }
    expect(unauthorized).toBe(0)
    expect(server.count('/auth/refresh')).toBeLessThanOrEqual(6)
  })
})

describe('restore in a new tab', () => {
  it('takes the token of an open tab with no network call', async () => {
    const a = openTab()
    await a.login({ password: 'right' })
    const b = openTab()
    const restoring = b.restore()
    await vi.advanceTimersByTimeAsync(10)
    expect(await restoring).toMatchObject({ status: 'authenticated' })
    expect(server.calls.map((call) => call.path)).toEqual(['/auth/login'])
  })

  it('sends its refresh at once when it is the only tab: no wait for answers that cannot come', async () => {
    const tab = openTab()
    const restoring = tab.restore()
    await vi.advanceTimersByTimeAsync(0)
    expect(server.count('/auth/refresh')).toBe(1)
    expect(await restoring).toMatchObject({ status: 'authenticated' })
  })

  it('waits briefly for an answer when another tab is open without a token, then refreshes once', async () => {
    openTab()
    await vi.advanceTimersByTimeAsync(0) // its presence lock is granted
    const tab = openTab()
    const restoring = tab.restore()
    await vi.advanceTimersByTimeAsync(149)
    expect(server.count('/auth/refresh')).toBe(0)
    expect(await settle(restoring)).toMatchObject({ status: 'authenticated' })
    expect(server.count('/auth/refresh')).toBe(1)
  })
})

describe('login and logout reach every tab', () => {
  it('authenticates the other tabs after a login, without calling it a refresh', async () => {
    const [a, b] = [openTab(), openTab()]
    const refreshes = vi.fn()
    b.on('refresh', refreshes)
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    expect(b.getState()).toMatchObject({ status: 'authenticated', claims: { sub: 'user-1' } })
    expect(refreshes).not.toHaveBeenCalled()
    await settle(a.refresh())
    await vi.advanceTimersByTimeAsync(0)
    expect(refreshes).toHaveBeenCalledOnce()
  })

  it('logs every tab out and stops their timers', async () => {
    const [a, b] = [openTab(), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    const onLogout = vi.fn()
    b.on('logout', onLogout)
    await a.logout()
    await vi.advanceTimersByTimeAsync(0)
    expect(b.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
    expect(onLogout).toHaveBeenCalledOnce()
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(server.count('/auth/refresh')).toBe(0)
    await b.fetch('/api/me')
    expect(server.calls.at(-1)!.headers.get('authorization')).toBeNull()
  })

  it('ends the session in every tab when the server refuses a refresh', async () => {
    const [a, b] = [openTab(), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    server.answerRefresh(json({ error: 'revoked' }, 401))
    await expect(settle(a.refresh())).rejects.toMatchObject({ code: 'session_expired' })
    await vi.advanceTimersByTimeAsync(0)
    expect(b.getState()).toEqual({ status: 'unauthenticated', reason: 'session_expired' })
  })

  it('does not let a late refresh from another tab undo a logout', async () => {
    const a = openTab()
    await a.login({ password: 'right' })
    await a.logout()
    bus.inject({
      protocol: 'tokenkeeper/2',
      type: 'refresh',
      token: makeToken(60),
      expiresAt: Date.now() + 60_000,
      lifetime: 60_000,
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(a.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
  })
})

describe('messages', () => {
  it.each([
    ['not an object', 'hello'],
    ['another protocol', { protocol: 'other', type: 'logout' }],
    ['an unknown type', { protocol: 'tokenkeeper/2', type: 'grant' }],
    [
      'a token that does not decode',
      {
        protocol: 'tokenkeeper/2',
        type: 'login',
        token: 'x.y.z',
        expiresAt: Date.now() + 60_000,
        lifetime: 60_000,
      },
    ],
    [
      'an expired token',
      {
        protocol: 'tokenkeeper/2',
        type: 'login',
        token: makeToken(60),
        expiresAt: Date.now() - 1,
        lifetime: 60_000,
      },
    ],
    [
      'a token with no exp',
      {
        protocol: 'tokenkeeper/2',
        type: 'login',
        token: makeJwt({ sub: 'x' }),
        expiresAt: '1d',
        lifetime: 60_000,
      },
    ],
  ])('ignores %s', async (_, data) => {
    const tab = openTab()
    bus.inject(data)
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.getState()).toEqual({ status: 'unknown' })
  })

  it('never broadcasts anything but protocol messages, and closes its channel on destroy', async () => {
    const tab = openTab()
    await tab.login({ password: 'right' })
    expect(bus.posted.every((message) => (message as { protocol: string }).protocol === 'tokenkeeper/2')).toBe(true)
    tab.destroy()
    expect(bus.openChannels).toBe(0)
  })
})

describe('without locks or channels', () => {
  it('behaves as a single tab where the browser has neither', async () => {
    const tab = openTab({ crossTab: { locks: null, channel: null } })
    await expect(tab.restore()).resolves.toMatchObject({ status: 'authenticated' })
    expect(bus.lockRequests).toBe(0)
  })

  it('works in an environment whose navigator.locks is missing', async () => {
    expect(navigator.locks ?? null).toBeNull()
    const tab = openTab({ crossTab: true })
    await expect(settle(tab.restore())).resolves.toMatchObject({ status: 'authenticated' })
  })
})

describe('bounded waits for the lock', () => {
  const tracked = <T>(promise: Promise<T>) => {
    const seen: { error?: unknown; value?: T } = {}
    promise.then(
      (value) => (seen.value = value),
      (error) => (seen.error = error),
    )
    return seen
  }

  it('settles a refresh waiting for another tab at once when destroyed', async () => {
    const tab = openTab()
    await tab.login({ password: 'right' })
    bus.holdForever()
    const refreshing = tracked(tab.refresh())
    await vi.advanceTimersByTimeAsync(0)
    expect(refreshing.error).toBeUndefined()
    tab.destroy()
    await vi.advanceTimersByTimeAsync(0)
    expect(refreshing.error).toMatchObject({ code: 'destroyed' })
  })

  it('settles a restore waiting for another tab at once when destroyed, and makes no call', async () => {
    bus.holdForever()
    const tab = openTab()
    const restoring = tracked(tab.restore())
    await vi.advanceTimersByTimeAsync(1_000)
    tab.destroy()
    await vi.advanceTimersByTimeAsync(0)
    expect(restoring.error).toMatchObject({ code: 'destroyed' })
    expect(server.calls).toEqual([])
  })

  it("rejects timeout once the wait exceeds twice the holder's worst case, and not before", async () => {
    const tab = openTab({ timeout: 1_000, retries: 1 })
    await tab.login({ password: 'right' })
    bus.holdForever()
    const refreshing = tracked(tab.refresh())
    const worstCase = 2 * 2 * 1_000 + 30_000 // (retries + 1) × 2 × timeout + retries × 30 s
    await vi.advanceTimersByTimeAsync(2 * worstCase - 1)
    expect(refreshing.error).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(refreshing.error).toMatchObject({ code: 'timeout' })
  })

  it('sends auth.fetch within 2 × timeout while another tab holds the lock, with the token it has', async () => {
    const tab = openTab({ timeout: 1_000 })
    await tab.login({ password: 'right' })
    const token = server.currentToken
    bus.holdForever()
    await vi.advanceTimersByTimeAsync(60_000) // the token is past its leeway: a refresh is due
    const response = tracked(tab.fetch('/api/me'))
    await vi.advanceTimersByTimeAsync(1_999)
    expect(response.value).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(response.value?.status).toBe(200)
    expect(server.calls.at(-1)!.headers.get('authorization')).toBe(`Bearer ${token}`)
  })
})

describe('order of events', () => {
  it('notifies subscribers only after the lock is released (supabase auth-js#762)', async () => {
    const tab = openTab()
    await tab.login({ password: 'right' })
    const heldWhenNotified: boolean[] = []
    tab.subscribe(() => heldWhenNotified.push(bus.isHeld()))
    tab.on('refresh', () => heldWhenNotified.push(bus.isHeld()))
    await settle(tab.refresh())
    expect(heldWhenNotified).toEqual([false, false])
  })

  it("drops this tab's refresh that began before another tab's login", async () => {
    const [a, b] = [openTab(), openTab()]
    await a.login({ password: 'right' })
    await vi.advanceTimersByTimeAsync(0)
    const gate = server.holdRefresh()
    const late = a.refresh().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(0)
    await b.login({ password: 'right' })
    const loginToken = server.currentToken
    await vi.advanceTimersByTimeAsync(0)
    gate.resolve(true)
    expect(await settle(late)).toMatchObject({ code: 'session_expired' })
    await a.fetch('/api/me')
    expect(server.calls.at(-1)!.headers.get('authorization')).toBe(`Bearer ${loginToken}`)
  })
})

describe('restore, once per client', () => {
  it('lets concurrent restore() calls share one ask of the open tabs: no refresh (StrictMode mounts twice)', async () => {
    const a = openTab()
    await a.login({ password: 'right' })
    const b = openTab()
    await vi.advanceTimersByTimeAsync(0)
    const both = Promise.all([b.restore(), b.restore()])
    await vi.advanceTimersByTimeAsync(10)
    expect((await both).map((state) => state.status)).toEqual(['authenticated', 'authenticated'])
    expect(server.count('/auth/refresh')).toBe(0)
  })
})

describe('a logout between the lock and the adoption', () => {
  it('drops the token of a refresh whose lock was released just after a logout', async () => {
    const key = 'gap-key'
    let onRelease: (() => Promise<void>) | undefined
    const locks: LockManagerLike = {
      async request(name, _options, callback) {
        const value = await callback({ name })
        if (name === key) await onRelease?.()
        return value
      },
    }
    const tab = openTab({ crossTab: { key, locks, channel: null } })
    await tab.login({ password: 'right' })
    onRelease = () => tab.logout()
    await expect(tab.refresh()).rejects.toMatchObject({ code: 'session_expired' })
    expect(tab.getState()).toEqual({ status: 'unauthenticated', reason: 'logout' })
  })
})
