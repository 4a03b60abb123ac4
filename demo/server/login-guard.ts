import { createExpiringMap } from './expiring-map.ts'
import { createWorkQueue } from './work-queue.ts'

/**
 * Throttles password guessing per username and per client address, and bounds the
 * password-hashing work, so that a login flood can neither guess passwords nor starve
 * refresh and API calls (issue 9: 60 wrong passwords in 4 s, then the right one worked).
 *
 * Each key may fail `freeFailures` times; every failure past that locks it for a time that
 * doubles (1 s, 2 s, 4 s, … up to 15 min), and failures are forgotten 15 min after the last.
 * An attempt in flight counts as a failure until it succeeds, so a burst of concurrent
 * guesses cannot slip through before the first ones fail. A locked key is refused before
 * any password is checked, right or wrong, known user or not: no oracle.
 */
export type LoginVerdict<T> = { throttled: false; result: T } | { throttled: true; retryAfter: number }

export interface LoginGuard {
  attempt<T>(
    keys: { username: string; address: string },
    check: () => Promise<T>,
    succeeded: (result: T) => boolean,
  ): Promise<LoginVerdict<T>>
  counts(): { loginThrottles: number }
  sweep(limit: number): number
}

interface KeyState {
  failures: number
  inFlight: number
  lockedUntil: number
}

const BASE_LOCK_MS = 1000
const MAX_LOCK_MS = 15 * 60 * 1000
const FORGET_AFTER_MS = 15 * 60 * 1000
const FAILURES_PER_USERNAME = 5
// Offices and mobile carriers put many users behind one address.
const FAILURES_PER_ADDRESS = 20
// Two hashes at once leave the rest of libuv's pool (4 threads) to token signing.
const HASH_CONCURRENCY = 2
const HASH_QUEUE = 16

export function createLoginGuard(now: () => number): LoginGuard {
  const states = createExpiringMap<string, KeyState>({ now })
  const hashing = createWorkQueue(HASH_CONCURRENCY, HASH_QUEUE)

  const stateOf = (key: string) => states.get(key) ?? { failures: 0, inFlight: 0, lockedUntil: 0 }
  const save = (key: string, state: KeyState) =>
    states.set(key, state, Math.max(state.lockedUntil, now()) + FORGET_AFTER_MS)

  /** Seconds until `key` may try again, 0 when it may now. */
  function waitFor(key: string, freeFailures: number): number {
    const { failures, inFlight, lockedUntil } = stateOf(key)
    if (lockedUntil > now()) return Math.ceil((lockedUntil - now()) / 1000)
    // Below the limit, attempts in flight count as failures; past it, one try at a time between locks.
    const allowed = failures < freeFailures ? freeFailures - failures : 1
    return inFlight >= allowed ? 1 : 0
  }

  function settle(key: string, freeFailures: number, outcome: 'failed' | 'succeeded' | 'abandoned'): void {
    const state = stateOf(key)
    state.inFlight = Math.max(0, state.inFlight - 1)
    if (outcome === 'failed') state.failures++
    if (outcome === 'failed' && state.failures >= freeFailures) {
      const lockMs = BASE_LOCK_MS * 2 ** Math.min(state.failures - freeFailures, 20)
      state.lockedUntil = now() + Math.min(lockMs, MAX_LOCK_MS)
    }
    save(key, state)
  }

  return {
    async attempt({ username, address }, check, succeeded) {
      const limits = [
        // Case and Unicode variants of a name are one name to the throttle.
        [`user:${username.normalize('NFKC').toLowerCase()}`, FAILURES_PER_USERNAME],
        [`addr:${address}`, FAILURES_PER_ADDRESS],
      ] as const
      const retryAfter = Math.max(...limits.map(([key, free]) => waitFor(key, free)))
      if (retryAfter > 0) return { throttled: true, retryAfter }
      for (const [key] of limits) {
        const state = stateOf(key)
        save(key, { ...state, inFlight: state.inFlight + 1 })
      }

      let outcome: 'failed' | 'succeeded' | 'abandoned' = 'abandoned'
      try {
        const run = await hashing.run(check)
        if (run.refused) return { throttled: true, retryAfter: 1 }
        outcome = succeeded(run.value) ? 'succeeded' : 'failed'
        return { throttled: false, result: run.value }
      } finally {
        for (const [key, free] of limits) settle(key, free, outcome)
        // A success clears the name's failures, not the address's (one account must not launder guesses at others).
        if (outcome === 'succeeded') states.delete(limits[0][0])
      }
    },
    counts: () => ({ loginThrottles: states.size }),
    sweep: (limit) => states.sweep(limit),
  }
}
