import { setCookie } from 'hono/cookie'
import type { AppContext } from './context.ts'

/**
 * The refresh cookie per RFC 10017 §6.1.3.2 (applied to the token-mediating backend by
 * §6.2.3.2): `__Host-` makes the browser refuse it unless it is Secure, Path=/ and without
 * Domain, so no sibling subdomain can plant one; `Http` in the prefix makes it refuse one
 * written by script.
 */
export const DEFAULT_REFRESH_COOKIE = '__Host-Http-refresh'
// Browsers cap Max-Age at 400 days, and Hono refuses to write more.
const MAX_AGE_LIMIT = 400 * 24 * 3600

export interface CookieConfig {
  cookieName: string
  secureCookie: boolean
}

function attributes({ secureCookie }: CookieConfig) {
  return { httpOnly: true, secure: secureCookie, sameSite: 'Strict', path: '/' } as const
}

/**
 * Every value sent under the name, in the browser's order. A cookie of the same name set
 * for a longer path or a parent domain arrives too, often first; helpers that return one
 * value (Hono's getCookie, the `cookie` package) would hide the real one behind it.
 */
export function readRefreshCookies(c: AppContext, { cookieName }: CookieConfig): string[] {
  const values: string[] = []
  for (const pair of (c.req.header('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=')
    if (separator < 0 || pair.slice(0, separator).trim() !== cookieName) continue
    const value = pair.slice(separator + 1).trim()
    if (value) values.push(value)
  }
  return values
}

export function setRefreshCookie(c: AppContext, config: CookieConfig, token: string, maxAgeSeconds: number): void {
  // Rounded, not floored: a grant made a millisecond ago still has its whole lifetime.
  const maxAge = Math.max(0, Math.min(Math.round(maxAgeSeconds), MAX_AGE_LIMIT))
  setCookie(c, config.cookieName, token, { ...attributes(config), maxAge })
}

/** Cleared with the same attributes, or the browser would keep it. */
export function clearRefreshCookie(c: AppContext, config: CookieConfig): void {
  setCookie(c, config.cookieName, '', { ...attributes(config), maxAge: 0 })
}

/** Browsers drop a `__Host-`/`__Secure-` cookie that is not Secure: refuse the combination up front. */
export function assertCookieConfig({ cookieName, secureCookie }: CookieConfig): void {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) throw new RangeError(`invalid cookie name "${cookieName}"`)
  if (!secureCookie && /^__(Host|Secure)-/i.test(cookieName)) {
    throw new RangeError(`secureCookie: false needs a cookieName without the __Host-/__Secure- prefix`)
  }
}
