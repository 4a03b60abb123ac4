import type { HttpBindings } from '@hono/node-server'
import type { Context, Hono } from 'hono'
import type { JWTPayload } from 'jose'
import type { AccessTokenLedger } from './access-tokens.ts'
import type { AdjustableClock } from './clock.ts'
import type { CookieConfig } from './cookies.ts'
import type { LoginGuard } from './login-guard.ts'
import type { Grant, RefreshStore } from './refresh-store.ts'
import type { TokenService } from './tokens.ts'
import type { UserDirectory } from './users.ts'

/** What a refresh decided: read by whatever observes requests (test mode counts it). */
export type RefreshOutcome = Extract<Grant, { ok: true }>['outcome'] | Extract<Grant, { ok: false }>['reason']

/** Node bindings are present under @hono/node-server; absent under `app.request()`. */
export type AppEnv = {
  Bindings: Partial<HttpBindings>
  Variables: { claims: JWTPayload; refreshOutcome: RefreshOutcome }
}
export type App = Hono<AppEnv>
export type AppContext = Context<AppEnv>

export interface AppOptions {
  /** Access-token lifetime in seconds. @default 30 */
  accessTtl?: number
  /** Refresh-token lifetime in seconds, renewed on each rotation. @default 604800 (7 days) */
  refreshTtl?: number
  /**
   * Seconds after a rotation during which the spent token, presented again while its child is
   * unused, gets the same child again (a lost answer, a reload mid-refresh). @default 30
   */
  refreshGrace?: number
  /** Absolute session lifetime in seconds, whatever the rotations; after it: `session_limit`. @default 2592000 (30 days) */
  sessionLifetime?: number
  /** The refresh cookie's name. @default '__Host-Http-refresh' */
  cookieName?: string
  /**
   * The Secure cookie attribute. Chromium (tested: 156) accepts Secure and `__Host-` cookies from
   * http://localhost and http://127.0.0.1, and happy-dom from http://localhost only; for a client
   * that refuses them over plain http, set false with a cookieName without the prefix. @default true
   */
  secureCookie?: boolean
  /** Key of the refresh tokens' HMAC (32+ random bytes). @default random per process */
  refreshSecret?: Uint8Array
  /** PKCS#8 PEM of the EC P-256 key that signs access tokens. @default a new key per process */
  signingKey?: string
  /**
   * Read the client address from the last X-Forwarded-For entry (the one your proxy appended),
   * for the per-address login throttle. Only behind a proxy that sets it. @default false
   */
  trustProxy?: boolean
  /** Adds the /__test/* routes, faults and counters. @default false */
  testMode?: boolean
  /** Base clock in epoch ms; the server adds its own adjustable offset. @default Date.now */
  now?: () => number
  /** The `iss` of issued tokens. @default the origin of each request (startServer passes its URL) */
  issuer?: string
  /** Larger request bodies get 413. @default 16384 */
  maxBodyBytes?: number
  /** Called after the API routes, e.g. to serve the demo SPA from the same origin. */
  mount?: (app: App) => void
}

export interface Config extends CookieConfig {
  accessTtl: number
  refreshTtl: number
  refreshGrace: number
  sessionLifetime: number
  trustProxy: boolean
  testMode: boolean
  issuer: string | undefined
  maxBodyBytes: number
}

/** Everything the route modules share. */
export interface ServerContext {
  config: Config
  clock: AdjustableClock
  tokens: TokenService
  users: UserDirectory
  refreshStore: RefreshStore
  accessTokens: AccessTokenLedger
  loginGuard: LoginGuard
  /** Aborted by dispose(): releases hanging and slow requests. */
  shutdown: AbortSignal
}

export function issuerFor(ctx: ServerContext, c: AppContext): string {
  return ctx.config.issuer ?? new URL(c.req.url).origin
}
