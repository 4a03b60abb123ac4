import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { MiddlewareHandler } from 'hono'
import { errors, type JWTPayload } from 'jose'
import { setTimeout as delay } from 'node:timers/promises'
import { issuerFor, type App, type AppEnv, type ServerContext } from './context.ts'
import { jsonError } from './http.ts'

const MAX_SLOW_MS = 5000

const ITEMS = [
  { id: 1, title: 'Keep the access token in memory' },
  { id: 2, title: 'Rotate the refresh token on every use' },
  { id: 3, title: 'Refresh once, share the result with every tab' },
]

export function registerApiRoutes(app: App, ctx: ServerContext): void {
  app.use('/api/*', requireBearer(ctx))
  app.get('/api/me', (c) => {
    const { sub, name, email, scope } = c.get('claims')
    return c.json({ sub, name, email, scope })
  })
  app.get('/api/items', (c) => c.json({ items: ITEMS }))
  app.get('/api/slow', async (c) => {
    const requested = Number(c.req.query('ms') ?? 0)
    if (!Number.isFinite(requested) || requested < 0)
      return jsonError(c, 400, 'invalid_request', { expected: 'ms >= 0' })
    const ms = Math.min(requested, MAX_SLOW_MS)
    try {
      await delay(ms, undefined, { signal: AbortSignal.any([c.req.raw.signal, ctx.shutdown]) })
    } catch {
      return RESPONSE_ALREADY_SENT // the client left or the server is closing: nobody to answer
    }
    return c.json({ waited: ms })
  })
}

/** 401 with a Bearer challenge and a `reason`: missing, expired, revoked or invalid. */
function requireBearer(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(c.req.header('authorization') ?? '')
    if (!match) {
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      c.header('WWW-Authenticate', 'Bearer realm="tokenkeeper-demo"')
      return jsonError(c, 401, 'missing_token', { reason: 'missing' })
    }
    const verdict = await verifyBearer(ctx, match[1]!, issuerFor(ctx, c))
    if (!verdict.ok) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
      return jsonError(c, 401, 'invalid_token', { reason: verdict.reason })
    }
    c.set('claims', verdict.claims)
    await next()
  }
}

type Verdict = { ok: true; claims: JWTPayload } | { ok: false; reason: 'expired' | 'revoked' | 'invalid' }

async function verifyBearer(ctx: ServerContext, token: string, issuer: string): Promise<Verdict> {
  try {
    const claims = await ctx.tokens.verify(token, issuer)
    if (typeof claims.jti === 'string' && ctx.accessTokens.isDenied(claims.jti)) return { ok: false, reason: 'revoked' }
    return { ok: true, claims }
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' }
  }
}
