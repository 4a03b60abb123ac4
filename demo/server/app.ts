import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { randomBytes } from 'node:crypto'
import { createAccessTokenLedger } from './access-tokens.ts'
import { registerApiRoutes } from './api-routes.ts'
import { registerAuthGuards, registerAuthRoutes } from './auth-routes.ts'
import { createClock, type AdjustableClock } from './clock.ts'
import type { App, AppEnv, AppOptions, Config, ServerContext } from './context.ts'
import { assertCookieConfig, DEFAULT_REFRESH_COOKIE } from './cookies.ts'
import { startSweeper } from './expiring-map.ts'
import { createFaultQueue, type FaultQueue } from './faults.ts'
import { createLoginGuard } from './login-guard.ts'
import { createRefreshStore } from './refresh-store.ts'
import { createStats, type Stats } from './stats.ts'
import { registerTestMode, resetTestState } from './test-mode.ts'
import { createTokenService } from './tokens.ts'
import { createUserDirectory } from './users.ts'

export interface AuthApp {
  app: App
  /** Outcome counters and live record counts (`stats.store`); counted only in test mode. */
  stats: Stats
  faults: FaultQueue
  clock: AdjustableClock
  /** Zeroes the counters and drops queued faults (what POST /__test/reset does). */
  reset(): void
  /** Releases hanging and slow requests and stops the sweeper; call when the server that serves `app` closes. */
  dispose(): void
}

const SECONDS = 1000

export function createApp(options: AppOptions = {}): AuthApp {
  const config = resolveConfig(options)
  const clock = createClock(options.now)
  const shutdown = new AbortController()
  const accessTokens = createAccessTokenLedger(clock.now)
  const ctx: ServerContext = {
    config,
    clock,
    accessTokens,
    tokens: createTokenService(clock.now, options.signingKey),
    users: createUserDirectory(),
    refreshStore: createRefreshStore({
      now: clock.now,
      secret: options.refreshSecret ?? randomBytes(32),
      ttlMs: config.refreshTtl * SECONDS,
      graceMs: config.refreshGrace * SECONDS,
      sessionLifetimeMs: config.sessionLifetime * SECONDS,
      accessTokens,
    }),
    loginGuard: createLoginGuard(clock.now),
    shutdown: shutdown.signal,
  }
  const stats = createStats(() => ({
    ...ctx.refreshStore.counts(),
    ...accessTokens.counts(),
    ...ctx.loginGuard.counts(),
  }))
  const faults = createFaultQueue()
  // Expired records also go a few at a time on every write; this catches up on an idle server.
  const stopSweeper = startSweeper((limit) => ctx.refreshStore.sweep(limit) + ctx.loginGuard.sweep(limit))

  const app = new Hono<AppEnv>()
  app.get('/.well-known/jwks.json', (c) => c.json(ctx.tokens.jwks))
  registerAuthGuards(app, ctx)
  if (config.testMode) registerTestMode(app, ctx, { stats, faults })
  registerAuthRoutes(app, ctx)
  registerApiRoutes(app, ctx)
  options.mount?.(app)
  app.notFound((c) => c.json({ error: 'not_found' }, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: 'http_error', status: error.status }, error.status)
    console.error('[demo-server]', error)
    return c.json({ error: 'internal_error' }, 500)
  })

  return {
    app,
    stats,
    faults,
    clock,
    reset: () => resetTestState({ stats, faults }),
    dispose: () => {
      stopSweeper()
      shutdown.abort()
    },
  }
}

function resolveConfig(options: AppOptions): Config {
  const config: Config = {
    accessTtl: options.accessTtl ?? 30,
    refreshTtl: options.refreshTtl ?? 7 * 24 * 3600,
    refreshGrace: options.refreshGrace ?? 30,
    sessionLifetime: options.sessionLifetime ?? 30 * 24 * 3600,
    cookieName: options.cookieName ?? DEFAULT_REFRESH_COOKIE,
    secureCookie: options.secureCookie ?? true,
    trustProxy: options.trustProxy ?? false,
    testMode: options.testMode ?? false,
    issuer: options.issuer,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024,
  }
  for (const key of ['accessTtl', 'refreshTtl', 'sessionLifetime', 'maxBodyBytes'] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new RangeError(`${key} must be a positive integer`)
  }
  if (!(config.refreshGrace >= 0 && config.refreshGrace < config.refreshTtl)) {
    throw new RangeError('refreshGrace must be from 0 seconds to less than refreshTtl')
  }
  if (options.refreshSecret && options.refreshSecret.byteLength < 32)
    throw new RangeError('refreshSecret needs 32+ bytes')
  assertCookieConfig(config)
  return config
}
