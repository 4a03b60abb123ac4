import type { MiddlewareHandler } from 'hono'
import { limitBody } from './auth-routes.ts'
import type { App, AppEnv, RefreshOutcome, ServerContext } from './context.ts'
import { deliverWithFault, respondWithFault } from './fault-response.ts'
import { isCommitFault, parseFaultPlan, type FaultQueue, type FaultTarget } from './faults.ts'
import { isRecord, jsonError, readJsonBody } from './http.ts'
import { resetStats, type Stats } from './stats.ts'

export interface TestState {
  stats: Stats
  faults: FaultQueue
}

/**
 * Test mode sits around the handlers, never inside them: between the auth guards (CSRF,
 * body size) and the handlers it counts outcomes and injects faults, and it adds the
 * /__test/* routes. Without test mode none of this is registered.
 */
export function registerTestMode(app: App, ctx: ServerContext, state: TestState): void {
  const { stats } = state
  const faults = (target: FaultTarget) => injectFaults(state.faults, target, ctx.shutdown)

  app.post(
    '/auth/login',
    countOutcome((status) => {
      if (status === 200) stats.logins++
      if (status === 401) stats.loginFailures++
      if (status === 429) stats.loginsThrottled++
    }),
    faults('login'),
  )

  app.post(
    '/auth/refresh',
    async (c, next) => {
      stats.refreshes++
      await next()
      if (!c.get('refreshOutcome')) stats.refreshFailures++ // an injected fault answered instead
    },
    faults('refresh'),
    // Inside the faults: counted as soon as the handler decided, even if a fault then holds or loses the answer.
    async (c, next) => {
      await next()
      countRefresh(stats, c.get('refreshOutcome'))
    },
  )

  app.post('/auth/logout', faults('logout'))

  app.use(
    '/api/*',
    async (c, next) => {
      stats.apiCalls++
      await next()
      if (c.res.status === 401) stats.api401s++
    },
    faults('api'),
  )

  registerTestRoutes(app, ctx, state)
}

function countRefresh(stats: Stats, outcome: RefreshOutcome): void {
  if (outcome === 'rotated' || outcome === 'replayed') {
    stats.refreshOk++
    if (outcome === 'replayed') stats.refreshReplays++
    return
  }
  stats.refreshFailures++
  stats.refreshFailuresByReason[outcome]++
  if (outcome === 'reused') stats.reuseDetections++
}

function countOutcome(count: (status: number) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    count(c.res.status)
  }
}

function injectFaults(queue: FaultQueue, target: FaultTarget, shutdown: AbortSignal): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const fault = queue.take(target)
    if (!fault) return next()
    if (!isCommitFault(fault)) return respondWithFault(c, fault, shutdown)
    await next()
    await deliverWithFault(c, fault, shutdown)
  }
}

function registerTestRoutes(app: App, ctx: ServerContext, state: TestState): void {
  app.use('/__test/*', limitBody(ctx.config.maxBodyBytes))

  app.get('/__test/stats', (c) => c.json(state.stats))

  app.post('/__test/reset', (c) => {
    resetTestState(state)
    return c.body(null, 204)
  })

  app.post('/__test/faults', async (c) => {
    const body = await readJsonBody(c)
    if (!body.ok) return body.response
    const plan = parseFaultPlan(body.value)
    if (!plan) return jsonError(c, 400, 'invalid_fault_plan')
    state.faults.set(plan)
    return c.body(null, 204)
  })

  app.post('/__test/clock', async (c) => {
    const body = await readJsonBody(c)
    if (!body.ok) return body.response
    const advanceMs = isRecord(body.value) ? body.value.advanceMs : undefined
    if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs)) {
      return jsonError(c, 400, 'invalid_request', { expected: '{ advanceMs: number }' })
    }
    ctx.clock.advance(advanceMs)
    return c.json({ now: ctx.clock.now() })
  })
}

export function resetTestState(state: TestState): void {
  resetStats(state.stats)
  state.faults.clear()
}
