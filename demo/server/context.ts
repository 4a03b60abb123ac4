import type { HttpBindings } from '@hono/node-server'
import type { Context, Hono } from 'hono'
import type { JWTPayload } from 'jose'
import type { AdjustableClock } from './clock.ts'
import type { DenyList } from './deny-list.ts'
import type { FaultQueue } from './faults.ts'
import type { RefreshStore } from './refresh-store.ts'
import type { Stats } from './stats.ts'
import type { TokenService } from './tokens.ts'
import type { UserDirectory } from './users.ts'

/** Node bindings are present under @hono/node-server; absent under `app.request()`. */
export type AppEnv = { Bindings: Partial<HttpBindings>; Variables: { claims: JWTPayload } }
export type App = Hono<AppEnv>
export type AppContext = Context<AppEnv>

export interface AppOptions {
  /** Access-token lifetime in seconds. @default 30 */
  accessTtl?: number
  /** Refresh-token lifetime in seconds, renewed on each rotation. @default 604800 (7 days) */
  refreshTtl?: number
  /** Adds the /__test/* routes (stats, reset, faults, clock). @default false */
  testMode?: boolean
  /** Base clock in epoch ms; the server adds its own adjustable offset. @default Date.now */
  now?: () => number
  /** The `iss` of issued tokens. @default the origin of each request (startServer passes its URL) */
  issuer?: string
  /** The Secure cookie attribute. Browsers accept it on http://localhost and 127.0.0.1. @default true */
  secureCookie?: boolean
  /** Larger request bodies get 413. @default 16384 */
  maxBodyBytes?: number
  /** Called after the API routes, e.g. to serve the demo SPA from the same origin. */
  mount?: (app: App) => void
}

export interface Config {
  accessTtl: number
  refreshTtl: number
  testMode: boolean
  issuer: string | undefined
  secureCookie: boolean
  maxBodyBytes: number
}

/** Everything the route modules share. */
export interface ServerContext {
  config: Config
  clock: AdjustableClock
  tokens: TokenService
  users: UserDirectory
  refreshStore: RefreshStore
  denyList: DenyList
  stats: Stats
  faults: FaultQueue
  /** Aborted by dispose(): releases hanging and slow requests. */
  shutdown: AbortSignal
}

export function issuerFor(ctx: ServerContext, c: AppContext): string {
  return ctx.config.issuer ?? new URL(c.req.url).origin
}
