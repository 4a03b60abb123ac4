// One abortable, bounded wait for the whole core, so no wait can hang or leak a timer.
import { AuthError } from './errors.js'

// setTimeout takes a signed 32-bit delay; a longer one fires at once (keycloak-js#107).
export const MAX_DELAY = 2 ** 31 - 1

/**
 * The one "wait, unless aborted, and clean up" of the core: settles like `promise`;
 * after `ms` resolves with `fallback` (rejects when it is an AuthError); rejects with
 * the signal's reason when `signal` aborts. Nothing is left behind either way.
 */
export function wait<T>(
  promise: PromiseLike<T> | undefined,
  ms?: number,
  signal?: AbortSignal | null,
  fallback?: T | AuthError,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (done: (value: any) => void, value: unknown) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      done(value)
    }
    const onAbort = () => settle(reject, signal!.reason)
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(() => settle(fallback instanceof AuthError ? reject : resolve, fallback), Math.min(ms, MAX_DELAY))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort)
    promise?.then(
      (value) => settle(resolve, value),
      (error) => settle(reject, error),
    )
  })
}
