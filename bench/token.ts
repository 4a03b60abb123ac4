const base64url = (value: string) => Buffer.from(value).toString('base64url')

export function makeToken(lifetime: number, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  const claims = { sub: 'bench', iat, exp: iat + lifetime }
  return `${base64url('{"alg":"ES256"}')}.${base64url(JSON.stringify(claims))}.c2ln`
}
