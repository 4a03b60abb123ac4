import type { MiddlewareHandler } from 'hono'
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './cookies.ts'
import { issuerFor, type App, type AppContext, type AppEnv, type ServerContext } from './context.ts'
import { respondWithFault } from './fault-response.ts'
import { isRecord, jsonError, readJsonBody } from './http.ts'
import type { Profile } from './tokens.ts'

const MAX_CREDENTIAL_LENGTH = 1024

export function registerAuthRoutes(app: App, ctx: ServerContext): void {
  app.use('/auth/*', requireCsrfHeader, limitBody(ctx.config.maxBodyBytes))
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

async function login(c: AppContext, ctx: ServerContext): Promise<Response> {
  const fault = ctx.faults.take('login')
  if (fault) return respondWithFault(c, fault, ctx.shutdown)
  const body = await readJsonBody(c)
  if (!body.ok) return body.response
  const credentials = parseCredentials(body.value)
  if (!credentials) return jsonError(c, 400, 'invalid_request', { expected: '{ username: string, password: string }' })

  const profile = await ctx.users.verify(credentials.username, credentials.password)
  if (!profile) return jsonError(c, 401, 'invalid_credentials')
  ctx.stats.logins++
  const { token, family } = ctx.refreshStore.create(profile.sub)
  setRefreshCookie(c, token, ctx.config.refreshTtl, ctx.config.secureCookie)
  return tokenResponse(c, ctx, profile, family)
}

async function refresh(c: AppContext, ctx: ServerContext): Promise<Response> {
  ctx.stats.refreshes++
  const fault = ctx.faults.take('refresh')
  if (fault) {
    ctx.stats.refreshFailures++
    return respondWithFault(c, fault, ctx.shutdown)
  }
  const presented = readRefreshCookie(c)
  const result = presented ? ctx.refreshStore.rotate(presented) : ({ ok: false, reason: 'missing' } as const)
  const profile = result.ok ? ctx.users.bySub(result.sub) : undefined
  if (!result.ok || !profile) {
    ctx.stats.refreshFailures++
    if (!result.ok && result.reason === 'reused') ctx.stats.reuseDetections++
    // A dead cookie is cleared so the browser stops sending it.
    if (presented) clearRefreshCookie(c, ctx.config.secureCookie)
    return jsonError(c, 401, 'invalid_refresh_token', { reason: result.ok ? 'unknown_user' : result.reason })
  }
  setRefreshCookie(c, result.token, ctx.config.refreshTtl, ctx.config.secureCookie)
  return tokenResponse(c, ctx, profile, result.family)
}

async function logout(c: AppContext, ctx: ServerContext): Promise<Response> {
  const fault = ctx.faults.take('logout')
  if (fault) return respondWithFault(c, fault, ctx.shutdown)
  const presented = readRefreshCookie(c)
  if (presented) ctx.refreshStore.revokeByToken(presented)
  clearRefreshCookie(c, ctx.config.secureCookie)
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
