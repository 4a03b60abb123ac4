// Token rules: decode (never verify), lifetime on the local clock, leeway (okta-oidc-js#894, oidc-client-ts#996).
import { jwtDecode, type JwtHeader, type JwtPayload } from 'jwt-decode'
import { AuthError } from './errors.js'
import type { TokenResponse } from './types.js'

/** A token as tabs share it: expiry on the (common) local clock. */
export interface SharedToken {
  readonly token: string
  /** Epoch ms on the local clock. */
  readonly expiresAt: number
  /** ms */
  readonly lifetime: number
}

/** A token we accepted, with its claims and expiry on the local clock. */
export interface Session<Claims extends JwtPayload = JwtPayload> extends SharedToken {
  readonly claims: Claims
}

// A numeric date above this is in milliseconds (year 5138 in seconds), not a JWT NumericDate.
const MAX_NUMERIC_DATE = 1e11
const MAX_DEFAULT_LEEWAY_MS = 60_000

/** Header and claims of a JWT, or `AuthError('invalid_token')`. The signature is not checked. */
export function decodeToken<Claims extends JwtPayload = JwtPayload>(
  token: string,
): { header: JwtHeader; claims: Claims } {
  return { header: decodePart(token, true), claims: decodePart(token) }
}

function decodePart<T>(token: string, header?: boolean): T {
  let part: unknown
  try {
    part = jwtDecode(token, { header })
  } catch (cause) {
    throw new AuthError('invalid_token', { cause })
  }
  // A JWE (five parts) or a JSON array or string is not a token we can use.
  if (!isRecord(part) || token.split('.').length !== 3) throw new AuthError('invalid_token')
  return part as T
}

/** Decodes and dates a token, or throws `invalid_token`: such a token is never stored or sent. */
export function createSession<Claims extends JwtPayload>(
  token: string,
  expiresIn: number | undefined,
  receivedAt: number,
): Session<Claims> {
  const claims = decodePart<Claims>(token)
  const lifetime = lifetimeMs(claims, expiresIn, receivedAt)
  return { token, claims, expiresAt: receivedAt + lifetime, lifetime }
}

/** A token another tab sent: decoded again, and only taken while it is still valid. */
export function sessionFromTab<Claims extends JwtPayload>(shared: SharedToken, now: number): Session<Claims> {
  const { token, expiresAt, lifetime } = shared
  // No tab can hold a token that outlives its own lifetime from now.
  if (!(expiresAt > now && lifetime > 0 && expiresAt <= now + lifetime)) throw new AuthError('invalid_token')
  return { token, expiresAt, lifetime, claims: decodePart<Claims>(token) }
}

/**
 * The token's lifetime, measured so that a wrong client clock cannot matter:
 * the smaller of expires_in and exp - iat (an expires_in sent in ms cannot
 * outlive the token), else whichever exists, else exp - now.
 */
function lifetimeMs({ exp, iat }: JwtPayload, expiresIn: number | undefined, now: number): number {
  if (![exp, iat].every((date) => date === undefined || isNumericDate(date))) throw new AuthError('invalid_token')
  const issuedFor = exp! - iat! // NaN unless both exist
  const seconds =
    expiresIn === undefined
      ? iat === undefined
        ? exp! - now / 1000
        : issuedFor
      : issuedFor < expiresIn
        ? issuedFor
        : expiresIn
  const ms = seconds * 1000
  // Below 1 ms, expiresAt would round to the receive time itself.
  if (ms >= 1 && ms < Infinity) return ms
  throw new AuthError('invalid_token')
}

/** ms before expiry to refresh: the user's choice or min(60 s, 20%) but 1 s at least, never more than half the lifetime. */
export function leewayMs(lifetime: number, refreshLeeway?: number): number {
  // At least 1 s by default: `exp` is in whole seconds, so a token can die up to
  // 1 s before `expires_in` says; at most half the lifetime, or it would loop.
  // isFinite also catches NaN, e.g. Number(an unset env variable).
  const leeway = Number.isFinite(refreshLeeway)
    ? Math.max(0, refreshLeeway! * 1000)
    : Math.min(MAX_DEFAULT_LEEWAY_MS, Math.max(1_000, lifetime * 0.2))
  return Math.min(leeway, lifetime / 2)
}

/** The default `parseTokenResponse`: access_token | accessToken | token, and expires_in | expiresIn. */
export function parseTokenResponse(body: any): TokenResponse {
  // Defaults chain right to left: access_token wins over accessToken over token.
  const { token, accessToken = token, access_token = accessToken, expiresIn, expires_in = expiresIn } = body
  return { accessToken: access_token, expiresIn: expires_in === undefined ? expires_in : Number(expires_in) }
}

export function hasScope(claims: JwtPayload | null | undefined, scope: string): boolean {
  const { scope: granted, scopes, permissions } = (claims ?? {}) as Record<string, unknown>
  return (
    scope !== '' &&
    ((typeof granted === 'string' && granted.split(' ').includes(scope)) ||
      [scopes, permissions].some((list) => Array.isArray(list) && list.includes(scope)))
  )
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value < MAX_NUMERIC_DATE
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
