// setTimeout takes a signed 32-bit delay; a longer one fires at once (keycloak-js#107).
const MAX_DELAY = 2 ** 31 - 1
const WAKE_EVENTS = ['visibilitychange', 'online', 'focus', 'pageshow'] as const

/**
 * The refresh timer. Timers in background tabs are throttled and laptops sleep,
 * so besides the timeout it re-checks the clock on wake events.
 */
export function createScheduler(options: { now: () => number; onDue: () => void }) {
  let dueAt: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let listening = false

  const check = () => {
    if (dueAt === undefined) return
    if (options.now() >= dueAt) {
      cancel()
      options.onDue()
    } else {
      arm()
    }
  }

  function arm() {
    clearTimeout(timer)
    const delay = Math.min(MAX_DELAY, Math.max(0, dueAt! - options.now()))
    timer = setTimeout(check, delay)
  }

  function listen(on: boolean) {
    if (listening === on || typeof window === 'undefined') return
    listening = on
    const method = on ? 'addEventListener' : 'removeEventListener'
    for (const type of WAKE_EVENTS) {
      const target = type === 'visibilitychange' ? document : window
      target[method](type, check)
    }
  }

  function cancel() {
    clearTimeout(timer)
    timer = undefined
    dueAt = undefined
    listen(false)
  }

  return {
    /** Calls onDue once, at `at` (epoch ms on the injected clock). */
    schedule(at: number) {
      dueAt = at
      listen(true)
      arm()
    },
    cancel,
  }
}
