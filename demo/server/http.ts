import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppContext } from './context.ts'

export function jsonError(c: AppContext, status: ContentfulStatusCode, error: string, extra?: Record<string, unknown>) {
  return c.json({ error, ...extra }, status)
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response }

/** Reads a JSON request body; 415 for another content type, 400 when it does not parse. */
export async function readJsonBody(c: AppContext): Promise<JsonBody> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { ok: false, response: jsonError(c, 415, 'unsupported_media_type', { expected: 'application/json' }) }
  }
  const text = await c.req.text()
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, response: jsonError(c, 400, 'invalid_json') }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The client's address for per-address throttling: the socket's peer, or behind a trusted
 * proxy the last X-Forwarded-For entry (the one that proxy appended; earlier ones are the
 * client's word). Under `app.request()` there is no socket: all such calls share one key.
 */
export function clientAddress(c: AppContext, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').pop()?.trim() : undefined
  return forwarded || c.env?.incoming?.socket.remoteAddress || 'unknown'
}
