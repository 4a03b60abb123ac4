import { limitBody } from './auth-routes.ts'
import type { App, ServerContext } from './context.ts'
import { parseFaultPlan } from './faults.ts'
import { isRecord, jsonError, readJsonBody } from './http.ts'
import { resetStats } from './stats.ts'

/** Only registered in test mode; elsewhere these paths are plain 404s. */
export function registerTestRoutes(app: App, ctx: ServerContext): void {
  app.use('/__test/*', limitBody(ctx.config.maxBodyBytes))

  app.get('/__test/stats', (c) => c.json(ctx.stats))

  app.post('/__test/reset', (c) => {
    resetTestState(ctx)
    return c.body(null, 204)
  })

  app.post('/__test/faults', async (c) => {
    const body = await readJsonBody(c)
    if (!body.ok) return body.response
    const plan = parseFaultPlan(body.value)
    if (!plan) return jsonError(c, 400, 'invalid_fault_plan')
    ctx.faults.set(plan)
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

export function resetTestState(ctx: ServerContext): void {
  resetStats(ctx.stats)
  ctx.faults.clear()
}
