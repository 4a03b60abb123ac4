import { getCookie, setCookie } from 'hono/cookie'
import type { AppContext } from './context.ts'

export const REFRESH_COOKIE = 'refresh'
// Browsers cap Max-Age at 400 days, and Hono refuses to write more.
const MAX_AGE_LIMIT = 400 * 24 * 3600

// Path=/auth: the browser sends the cookie to the auth endpoints only, never to /api.
function attributes(secure: boolean) {
  return { httpOnly: true, secure, sameSite: 'Strict', path: '/auth' } as const
}

export function readRefreshCookie(c: AppContext): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined
}

export function setRefreshCookie(c: AppContext, token: string, maxAgeSeconds: number, secure: boolean): void {
  setCookie(c, REFRESH_COOKIE, token, { ...attributes(secure), maxAge: Math.min(maxAgeSeconds, MAX_AGE_LIMIT) })
}

export function clearRefreshCookie(c: AppContext, secure: boolean): void {
  setCookie(c, REFRESH_COOKIE, '', { ...attributes(secure), maxAge: 0 })
}
