import { createAuthClient, type JwtPayload } from 'tokenkeeper'
import { createEventLog } from './event-log.ts'

/** What the demo server puts in its access tokens. */
export interface DemoClaims extends JwtPayload {
  name?: string
  email?: string
  scope?: string
}

// Declared once: createAuthClient(), useAuth() and AuthenticatedState use these claims, no casts.
declare module 'tokenkeeper' {
  interface Register {
    claims: DemoClaims
  }
}

// One client per page; the demo server lives on this page's origin, so every default fits.
export const auth = createAuthClient()

// Created before anything calls restore(), so the log sees the first state change.
export const eventLog = createEventLog(auth)
