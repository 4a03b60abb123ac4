// The refresh timer: clamped (keycloak-js#107), jittered (okta PR #1106), spaced (oidc-client-ts#996),
// and re-checked on wake events, as background tabs throttle timers and laptops sleep (oidc-client-ts#251).
import { MAX_DELAY } from './wait.js'

const WAKE_EVENTS = ['visibilitychange', 'online', 'focus', 'pageshow']
// A planned refresh never comes sooner than this after the one that planned it.
const MIN_SPACING_MS = 1_000
const MAX_JITTER_MS = 5_000

/** `random` in [0, 1) spreads a fleet of clients so they do not refresh in lock-step. */
export function createScheduler({ now, random }: { now: () => number; random: () => number }, onDue: () => void) {
  let dueAt: number | undefined
  let isRetry = false
  let timer: ReturnType<typeof setTimeout> | undefined

  // A retry after a failure does not wait for its time when the page comes back (online, focus, visible).
  const check = (event?: Event) => {
    if (dueAt === undefined) return
    if (now() >= dueAt || (isRetry && event && !document.hidden)) {
      cancel()
      onDue()
    } else {
      clearTimeout(timer)
      timer = setTimeout(check, Math.min(MAX_DELAY, dueAt - now()))
    }
  }

  function listen(on: boolean) {
    if (typeof document === 'undefined') return
    for (const type of WAKE_EVENTS) {
      const target = type === 'visibilitychange' ? document : window
      target[on ? 'addEventListener' : 'removeEventListener'](type, check)
    }
  }

  function at(time: number, retry: boolean): number {
    if (dueAt === undefined) listen(true)
    dueAt = time
    isRetry = retry
    check()
    return time
  }

  function cancel() {
    if (dueAt !== undefined) listen(false)
    clearTimeout(timer)
    dueAt = undefined
  }

  return {
    /** Plans the refresh of a token fresh until `freshUntil`; returns when it will run. */
    plan: (freshUntil: number, lifetime: number): number =>
      at(Math.max(freshUntil - random() * Math.min(MAX_JITTER_MS, lifetime * 0.05), now() + MIN_SPACING_MS), false),
    /** Runs onDue after `delay` ms, or at once when the page wakes. */
    retry: (delay: number) => void at(now() + delay, true),
    cancel,
  }
}
