// A stand-in client whose state the test sets directly: for states the adapters must
// handle but that the real client reaches only through its retry timing
// (`{ status: 'unknown', error }` while a failed restore is being retried).
import type { AuthClient, AuthState } from '../../src/index.ts'
import type { TestClaims } from './fake-client.ts'

export function createStateClient(initial: AuthState<TestClaims> = { status: 'unknown' }) {
  let state = initial
  const listeners = new Set<(state: AuthState<TestClaims>) => void>()
  const client: Partial<AuthClient<TestClaims>> = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    restore: () => new Promise(() => {}),
  }
  return {
    client: client as AuthClient<TestClaims>,
    set(next: AuthState<TestClaims>) {
      state = Object.freeze(next)
      for (const listener of listeners) listener(state)
    },
  }
}
