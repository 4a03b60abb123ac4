import type { AuthState } from 'tokenkeeper'
import type { DemoClaims } from './auth.ts'

export const DEMO_USERS = [
  { username: 'demo', password: 'demo1234' },
  { username: 'alice', password: 'wonderland' },
] as const

/** Whole seconds from `now` to `at`, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}

type Authenticated = Extract<AuthState<DemoClaims>, { status: 'authenticated' }>

/** The token's lifetime in ms, as the server stated it in the claims. */
function lifetimeMs({ claims }: Authenticated): number {
  return claims.exp !== undefined && claims.iat !== undefined ? (claims.exp - claims.iat) * 1000 : 0
}

/** How much of the token's lifetime is left, in percent. */
export function lifeLeft(state: Authenticated, now: number): number {
  const lifetime = lifetimeMs(state)
  return lifetime ? Math.min(100, Math.max(0, ((state.expiresAt - now) / lifetime) * 100)) : 0
}

/**
 * When the client's timer will refresh, give or take its jitter: the SDK's default
 * leeway is min(60 s, 20% of the token's lifetime) before expiry.
 */
export function nextRefreshAt(state: Authenticated): number {
  return state.expiresAt - Math.min(60_000, lifetimeMs(state) * 0.2)
}

export function describeState(state: AuthState<DemoClaims>): string {
  if (state.status === 'authenticated') return `authenticated as ${state.claims.name ?? state.claims.sub}`
  if (state.status === 'unauthenticated')
    return `unauthenticated${state.reason ? ` (${state.reason.replace('_', ' ')})` : ''}`
  return 'unknown (restoring the session)'
}

export function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false })
}
