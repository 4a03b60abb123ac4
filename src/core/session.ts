// The session, its state snapshot and a generation guard: a logout or destroy wins over any call begun before it.
import type { JwtPayload } from 'jwt-decode'
import { UNKNOWN_STATE } from './adapter-state.js'
import type { AuthError } from './errors.js'
import type { Session } from './token.js'
import type { AuthState, UnauthenticatedState } from './types.js'

/**
 * `leeway`: ms before expiry at which a token stops being fresh; `scheduler` plans the
 * refresh of each token (returns when, epoch ms) and cancels it when the session ends.
 */
export function createSessionStore<Claims extends JwtPayload>(
  now: () => number,
  leeway: (lifetime: number) => number,
  scheduler: { plan: (freshUntil: number, lifetime: number) => number; cancel: () => void },
  onChange: (state: AuthState<Claims>) => void,
) {
  let session: Session<Claims> | undefined
  let freshUntil = 0
  let state: AuthState<Claims> = UNKNOWN_STATE
  let generation = 0

  function set(next: AuthState<Claims>) {
    state = Object.freeze(next)
    onChange(state)
  }

  const isFresh = () => session !== undefined && now() < freshUntil

  return {
    get: () => session,
    state: () => state,
    /** The token while it is valid for at least the leeway. */
    fresh: () => (isFresh() ? session : undefined),
    /** Marks the start of a call: `isCurrent()` turns false once a login, logout or destroy came after it. */
    begin() {
      const started = generation
      return { isCurrent: () => generation === started }
    },
    /** Starts a new generation: whatever was begun before is dropped. */
    supersede: () => void generation++,
    adopt(next: Session<Claims>) {
      session = next
      freshUntil = next.expiresAt - leeway(next.lifetime)
      const refreshAt = scheduler.plan(freshUntil, next.lifetime)
      set({ status: 'authenticated', claims: next.claims, expiresAt: next.expiresAt, refreshAt })
    },
    end(reason: NonNullable<UnauthenticatedState['reason']>) {
      generation++
      session = undefined
      scheduler.cancel()
      set({ status: 'unauthenticated', reason })
    },
    /** A restore that failed: still unknown, with the error (it will be tried again). */
    fail(error: AuthError) {
      if (state.status === 'unknown') set({ status: 'unknown', error })
    },
  }
}

export type SessionStore<Claims extends JwtPayload> = ReturnType<typeof createSessionStore<Claims>>
