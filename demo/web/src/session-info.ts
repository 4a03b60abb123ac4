import { isAuthError, type AuthenticatedState, type AuthState } from 'tokenkeeper'

export const DEMO_USERS = [
  { username: 'demo', password: 'demo1234' },
  { username: 'alice', password: 'wonderland' },
] as const

/** Whole seconds from `now` to `at`, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/** The token's lifetime in ms, as the server stated it in the claims. */
export function lifetimeMs({ claims }: AuthenticatedState): number {
  return claims.exp !== undefined && claims.iat !== undefined ? (claims.exp - claims.iat) * 1000 : 0
}

/** How much of the token's lifetime is left, in percent. */
export function lifeLeft(state: AuthenticatedState, now: number): number {
  const lifetime = lifetimeMs(state)
  return lifetime ? Math.min(100, Math.max(0, ((state.expiresAt - now) / lifetime) * 100)) : 0
}

export function describeState(state: AuthState): string {
  if (state.status === 'authenticated') return `authenticated as ${state.claims.name ?? state.claims.sub}`
  if (state.status === 'unauthenticated')
    return `unauthenticated${state.reason ? ` (${state.reason.replace('_', ' ')})` : ''}`
  return state.error ? `unknown (${state.error.code}, retrying)` : 'unknown (restoring the session)'
}

/** What the sign-in card says when it is shown after a session ended. */
export function describeReason(state: AuthState): string | undefined {
  if (state.status !== 'unauthenticated' || !state.reason || state.reason === 'no_session') return undefined
  return state.reason === 'logout' ? 'You logged out.' : 'The server ended the session.'
}

export function loginErrorMessage(failure: unknown): string {
  return isAuthError(failure, 'invalid_credentials')
    ? 'Wrong username or password.'
    : `Login failed: ${String(failure)}`
}

export function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false })
}
