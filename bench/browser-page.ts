// The bench page's script (bundled by bench/browser.ts with the built dist/, production
// mode). It exposes window.bench for page.evaluate(); with ?restore in its URL it also
// does what an app does on load, restore(), timing it from the call:
// - refreshAfterMs: until the SDK sent its refresh request (undefined: it sent none),
// - settledAfterMs: until restore() settled;
// - lockQueryMs: until a navigator.locks.query() issued at the same moment answered, the
//   floor of any "is another tab open?" check: it is a round trip to the browser process.
import { createAuthClient } from 'tokenkeeper'
import { measurePerRequest, type PerRequestResult } from './per-request.ts'

export interface StartupResult {
  status: string
  refreshes: number
  refreshAfterMs: number | undefined
  settledAfterMs: number
  lockQueryMs: number
}

export interface BenchPage {
  perRequest(token: string, rounds: number): Promise<PerRequestResult>
  login(user: { username: string; password: string }): Promise<string>
  startup?: StartupResult
}

declare global {
  interface Window {
    bench: BenchPage
    gc?: () => void
    /** The page's main-thread CPU time, ns: exposed by bench/browser.ts from CDP's Performance.getMetrics. */
    threadCpuNs?: () => Promise<number>
  }
}

// A MessageChannel turn, not setTimeout: nested timeouts are clamped to 4 ms.
const channel = new MessageChannel()
const yieldToLoop = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(null)
  })

window.bench = {
  perRequest: (token, rounds) => {
    const { gc, threadCpuNs } = window
    if (!gc || !threadCpuNs) throw new Error('needs --js-flags=--expose-gc and the exposed threadCpuNs')
    return measurePerRequest({ token, baseUrl: location.origin, rounds, segmentMs: 40, gc, threadCpuNs, yieldToLoop })
  },
  async login(user) {
    const auth = createAuthClient()
    const state = await auth.login(user)
    auth.destroy()
    return state.status
  },
}

if (new URLSearchParams(location.search).has('restore')) {
  let refreshes = 0
  let refreshSentAt: number | undefined
  const auth = createAuthClient({
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      if (new URL(url, location.href).pathname === '/auth/refresh') {
        refreshes++
        refreshSentAt ??= performance.now()
      }
      return fetch(input, init)
    },
  })
  const calledAt = performance.now()
  const restored = auth.restore().then(
    (state) => ({ status: state.status, settledAfterMs: performance.now() - calledAt }),
    (error: { code?: string }) => ({ status: `error:${error.code}`, settledAfterMs: performance.now() - calledAt }),
  )
  const queried = navigator.locks.query().then(() => performance.now() - calledAt)
  void Promise.all([restored, queried]).then(([{ status, settledAfterMs }, lockQueryMs]) => {
    window.bench.startup = {
      status,
      refreshes,
      refreshAfterMs: refreshSentAt === undefined ? undefined : refreshSentAt - calledAt,
      settledAfterMs,
      lockQueryMs,
    }
  })
}
