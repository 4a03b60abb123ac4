import { createAuthClient, type JwtPayload } from 'tokenkeeper'

/** What the reference server (demo/server) puts in its access tokens. */
export interface AppClaims extends JwtPayload {
  sub: string
  name: string
  email: string
  scope: string
}

// Declared once: useAuth(), <RequireAuth> and the client's state are typed with it, no casts.
declare module 'tokenkeeper' {
  interface Register {
    claims: AppClaims
  }
}

// One client for the whole app, created at module level (safe: it does nothing until called).
// The auth endpoints are on this page's origin: /auth/login, /auth/refresh, /auth/logout.
export const auth = createAuthClient()
