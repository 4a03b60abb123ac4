import { jwtDecode, type JwtHeader, type JwtPayload } from 'jwt-decode'
import { AuthError } from './errors.js'

/** A token we accepted, with its expiry on the local clock. */
export interface Session<Claims extends JwtPayload = JwtPayload> {
  readonly token: string
  readonly claims: Claims
  /** Epoch ms on the local clock. */
  readonly expiresAt: number
  /** ms */
  readonly lifetime: number
}

// A numeric date above this is in milliseconds (year 5138 in seconds), not a JWT NumericDate.
const MAX_NUMERIC_DATE = 1e11
const MAX_DEFAULT_LEEWAY = 60_000

export function decodeToken<Claims extends JwtPayload = JwtPayload>(
  token: string,
): { header: JwtHeader; claims: Claims } {
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new AuthError('invalid_token')
  }
  try {
    const header = jwtDecode<JwtHeader>(token, { header: true })
    const claims = jwtDecode<Claims>(token)
    if (!isPlainObject(header) || !isPlainObject(claims)) throw new TypeError('not a JSON object')
    return { header, claims }
  } catch (cause) {
    throw new AuthError('invalid_token', { cause: cause instanceof AuthError ? undefined : cause })
  }
}

/** Decodes and dates a token, or throws `invalid_token`: such a token is never stored or sent. */
export function createSession<Claims extends JwtPayload>(
  token: string,
  expiresIn: number | undefined,
  receivedAt: number,
): Session<Claims> {
  const { claims } = decodeToken<Claims>(token)
  const lifetime = lifetimeMs(claims, expiresIn, receivedAt)
  return { token, claims, expiresAt: receivedAt + lifetime, lifetime }
}

/** A token another tab sent: decoded again, and only taken while it is still valid. */
export function sessionFromTab<Claims extends JwtPayload>(
  shared: { token: string; expiresAt: number; lifetime: number },
  now: number,
): Session<Claims> {
  const { claims } = decodeToken<Claims>(shared.token)
  const { expiresAt, lifetime } = shared
  // No tab can hold a token that outlives its own lifetime from now.
  if (!(expiresAt > now && lifetime > 0 && expiresAt <= now + lifetime)) throw new AuthError('invalid_token')
  return { token: shared.token, claims, expiresAt: shared.expiresAt, lifetime: shared.lifetime }
}

/**
 * The token's lifetime, measured so that a wrong client clock cannot matter:
 * expires_in, else exp - iat, else exp - now.
 */
function lifetimeMs(claims: JwtPayload, expiresIn: number | undefined, now: number): number {
  const { exp, iat } = claims
  if (exp !== undefined && !isNumericDate(exp)) throw new AuthError('invalid_token')
  if (iat !== undefined && !isNumericDate(iat)) throw new AuthError('invalid_token')
  let seconds: number
  if (expiresIn !== undefined) seconds = expiresIn
  else if (exp === undefined) throw new AuthError('invalid_token')
  else if (iat !== undefined) seconds = exp - iat
  else seconds = exp - now / 1000
  const ms = seconds * 1000
  // Below 1 ms, expiresAt would round to the receive time itself.
  if (!(ms >= 1) || !Number.isFinite(ms)) throw new AuthError('invalid_token')
  return ms
}

/** ms before expiry to refresh: the user's choice or min(60 s, 20%) but 1 s at least, never more than half the lifetime. */
export function leewayMs(lifetime: number, refreshLeeway?: number): number {
  // Also catches NaN, e.g. Number(an unset env variable).
  // At least 1 s by default: `exp` is in whole seconds, so a token can die up to
  // 1 s before `expires_in` says; at most half the lifetime, or it would loop.
  if (!Number.isFinite(refreshLeeway)) {
    return Math.min(MAX_DEFAULT_LEEWAY, Math.max(1_000, lifetime * 0.2), lifetime / 2)
  }
  return Math.min(Math.max(0, refreshLeeway! * 1000), lifetime / 2)
}

export function hasScope(claims: JwtPayload | null | undefined, scope: string): boolean {
  if (!claims) return false
  const record = claims as Record<string, unknown>
  if (scope === '') return false
  if (typeof record.scope === 'string' && record.scope.split(' ').includes(scope)) return true
  return ['scopes', 'permissions'].some((key) => {
    const list = record[key]
    return Array.isArray(list) && list.includes(scope)
  })
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < MAX_NUMERIC_DATE
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
