// What the React and Vue adapters both derive from a state, and the unknown state itself (the
// core starts from it, React renders it on the server): one module, so the build puts it in one
// small chunk that the core, /react and /vue share instead of a copy in each.
import type { AuthError } from './errors.js'
import type { AuthState, JwtPayload, UnknownState } from './types.js'

/** Where every client starts, and what a server renders: the session is only known in the browser. */
export const UNKNOWN_STATE: UnknownState = Object.freeze({ status: 'unknown' })

/** The fields `useAuth()` adds to the state, as auth0-react and auth0-vue users expect them. */
export interface DerivedAuth<Claims extends JwtPayload> {
  /** `true` while the session is unknown: restoring, or retrying after `error`. */
  isLoading: boolean
  isAuthenticated: boolean
  /** The access token's claims; `undefined` unless authenticated. */
  claims: Claims | undefined
  /** Why the last restore failed (the client retries by itself); `undefined` otherwise. */
  error: AuthError | undefined
}

export function deriveAuth<Claims extends JwtPayload>(state: AuthState<Claims>): DerivedAuth<Claims> {
  const isLoading = state.status === 'unknown'
  return {
    isLoading,
    isAuthenticated: state.status === 'authenticated',
    claims: state.status === 'authenticated' ? state.claims : undefined,
    error: isLoading ? state.error : undefined,
  }
}
