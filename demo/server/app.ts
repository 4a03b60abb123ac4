import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { registerApiRoutes } from './api-routes.ts'
import { registerAuthRoutes } from './auth-routes.ts'
import { createClock, type AdjustableClock } from './clock.ts'
import type { App, AppEnv, AppOptions, Config, ServerContext } from './context.ts'
import { createDenyList } from './deny-list.ts'
import { createFaultQueue, type FaultQueue } from './faults.ts'
import { createRefreshStore } from './refresh-store.ts'
import { createStats, type Stats } from './stats.ts'
import { registerTestRoutes, resetTestState } from './test-routes.ts'
import { createTokenService } from './tokens.ts'
import { createUserDirectory } from './users.ts'

export interface AuthApp {
  app: App
  /** Live counters (the /__test/stats routes exist only in test mode). */
  stats: Stats
  faults: FaultQueue
  clock: AdjustableClock
  /** Zeroes the counters and drops queued faults (what POST /__test/reset does). */
  reset(): void
  /** Releases hanging and slow requests; call when the server that serves `app` closes. */
  dispose(): void
}

export function createApp(options: AppOptions = {}): AuthApp {
  const config = resolveConfig(options)
  const clock = createClock(options.now)
  const denyList = createDenyList(clock.now)
  const shutdown = new AbortController()
  const ctx: ServerContext = {
    config,
    clock,
    denyList,
    tokens: createTokenService(clock.now),
    users: createUserDirectory(),
    refreshStore: createRefreshStore({ now: clock.now, ttlMs: config.refreshTtl * 1000, denyList }),
    stats: createStats(),
    faults: createFaultQueue(),
    shutdown: shutdown.signal,
  }

  const app = new Hono<AppEnv>()
  app.get('/.well-known/jwks.json', (c) => c.json(ctx.tokens.jwks))
  registerAuthRoutes(app, ctx)
  registerApiRoutes(app, ctx)
  if (config.testMode) registerTestRoutes(app, ctx)
  options.mount?.(app)
  app.notFound((c) => c.json({ error: 'not_found' }, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: 'http_error', status: error.status }, error.status)
    console.error('[demo-server]', error)
    return c.json({ error: 'internal_error' }, 500)
  })

  return {
    app,
    stats: ctx.stats,
    faults: ctx.faults,
    clock,
    reset: () => resetTestState(ctx),
    dispose: () => shutdown.abort(),
  }
}

function resolveConfig(options: AppOptions): Config {
  const config: Config = {
    accessTtl: options.accessTtl ?? 30,
    refreshTtl: options.refreshTtl ?? 7 * 24 * 3600,
    testMode: options.testMode ?? false,
    issuer: options.issuer,
    secureCookie: options.secureCookie ?? true,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024,
  }
  for (const key of ['accessTtl', 'refreshTtl', 'maxBodyBytes'] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new RangeError(`${key} must be a positive integer`)
  }
  return config
}
