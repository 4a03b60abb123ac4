import type { MiddlewareHandler } from 'hono'
import { clearRefreshCookie, readRefreshCookies, setRefreshCookie } from './cookies.ts'
import { issuerFor, type App, type AppContext, type AppEnv, type ServerContext } from './context.ts'
import { clientAddress, isRecord, jsonError, readJsonBody } from './http.ts'
import type { Profile } from './tokens.ts'

const MAX_CREDENTIAL_LENGTH = 1024

/** What every /auth call passes before its handler (and before test mode's hooks). */
export function registerAuthGuards(app: App, ctx: ServerContext): void {
  app.use('/auth/*', requireCsrfHeader, limitBody(ctx.config.maxBodyBytes))
}

export function registerAuthRoutes(app: App, ctx: ServerContext): void {
  app.post('/auth/login', (c) => login(c, ctx))
  app.post('/auth/refresh', (c) => refresh(c, ctx))
  app.post('/auth/logout', (c) => logout(c, ctx))
}

/**
 * A cross-site form or <img> cannot add a custom header, and a cross-origin fetch
 * that adds one needs a CORS preflight this server never grants.
 */
const requireCsrfHeader: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'POST' && !c.req.header('x-requested-with')) return jsonError(c, 403, 'csrf')
  await next()
}

/**
 * 413 past maxSize, whether or not the client declared a length. Hono's bodyLimit
 * rebuilds the Request for chunked bodies, which crashes on @hono/node-server's
 * Request (a chunked POST answered 500), so chunked bodies are read here, bounded.
 */
export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const tooLarge = () => c.json({ error: 'payload_too_large', maxBytes: maxSize }, 413)
    const declared = c.req.header('content-length')
    if (declared !== undefined && Number(declared) > maxSize) return tooLarge()
    const body = c.req.raw.body
    if (body && declared === undefined) {
      const text = await readBounded(body, maxSize)
      if (text === undefined) return tooLarge()
      // Hono keeps promises in bodyCache, though its type says values.
      ;(c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text)
    }
    await next()
  }
}

async function readBounded(stream: ReadableStream<Uint8Array>, maxSize: number): Promise<string | undefined> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks).toString('utf8')
    size += value.byteLength
    if (size > maxSize) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
}

/** 401 invalid_credentials, or 429 + Retry-After while the username or the address is throttled. */
async function login(c: AppContext, ctx: ServerContext): Promise<Response> {
  const body = await readJsonBody(c)
  if (!body.ok) return body.response
  const credentials = parseCredentials(body.value)
  if (!credentials) return jsonError(c, 400, 'invalid_request', { expected: '{ username: string, password: string }' })

  const { username, password } = credentials
  const verdict = await ctx.loginGuard.attempt(
    { username, address: clientAddress(c, ctx.config.trustProxy) },
    () => ctx.users.verify(username, password),
    (profile) => profile !== null,
  )
  if (verdict.throttled) {
    c.header('Retry-After', String(verdict.retryAfter))
    return jsonError(c, 429, 'rate_limited')
  }
  const profile = verdict.result
  if (!profile) return jsonError(c, 401, 'invalid_credentials')
  const session = ctx.refreshStore.create(profile.sub)
  setRefreshCookie(c, ctx.config, session.token, ctx.config.refreshTtl)
  return tokenResponse(c, ctx, profile, session.family)
}

/** 200 with a new access token and the rotated cookie (or, within the grace, the same child again); else 401 with a reason. */
async function refresh(c: AppContext, ctx: ServerContext): Promise<Response> {
  const presented = readRefreshCookies(c, ctx.config)
  const grant = ctx.refreshStore.refresh(presented)
  const profile = grant.ok ? ctx.users.bySub(grant.sub) : undefined
  if (!grant.ok || !profile) {
    const reason = grant.ok ? 'revoked' : grant.reason // a deleted user's sessions are over
    c.set('refreshOutcome', reason)
    // A dead cookie is cleared so the browser stops sending it (reached only when no cookie was usable).
    if (presented.length > 0) clearRefreshCookie(c, ctx.config)
    return jsonError(c, 401, 'invalid_grant', { reason })
  }
  c.set('refreshOutcome', grant.outcome)
  setRefreshCookie(c, ctx.config, grant.token, (grant.expiresAt - ctx.clock.now()) / 1000)
  return tokenResponse(c, ctx, profile, grant.family)
}

/** Idempotent: 204 always, the cookie cleared, the family revoked even by a spent cookie. */
async function logout(c: AppContext, ctx: ServerContext): Promise<Response> {
  ctx.refreshStore.revoke(readRefreshCookies(c, ctx.config))
  clearRefreshCookie(c, ctx.config)
  return c.body(null, 204)
}

async function tokenResponse(c: AppContext, ctx: ServerContext, profile: Profile, family: string): Promise<Response> {
  const ttl = ctx.config.accessTtl
  const issued = await ctx.tokens.issue(profile, issuerFor(ctx, c), ttl)
  ctx.refreshStore.recordAccessToken(family, issued.jti, issued.expiresAt)
  c.header('Cache-Control', 'no-store')
  return c.json({ access_token: issued.token, token_type: 'Bearer', expires_in: ttl })
}

function parseCredentials(value: unknown): { username: string; password: string } | null {
  if (!isRecord(value)) return null
  const { username, password } = value
  if (typeof username !== 'string' || typeof password !== 'string') return null
  if (!username || !password || username.length > MAX_CREDENTIAL_LENGTH || password.length > MAX_CREDENTIAL_LENGTH)
    return null
  return { username, password }
}
