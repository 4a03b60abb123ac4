const base64url = (value: string) => Buffer.from(value).toString('base64url')

/** An unsigned-looking JWT with the given claims (the client never verifies signatures). */
export function makeJwt(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'ES256', typ: 'JWT' },
): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.c2lnbmF0dXJl`
}

/** A token issued now (by `nowMs`) for `lifetime` seconds. */
export function makeToken(lifetime = 300, nowMs = Date.now(), extra: Record<string, unknown> = {}): string {
  const iat = Math.floor(nowMs / 1000)
  return makeJwt({ sub: 'user-1', iat, exp: iat + lifetime, scope: 'profile api:read', ...extra })
}
