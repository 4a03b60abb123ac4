import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto'
import { SignJWT, jwtVerify, type JWK, type JWTPayload } from 'jose'

export const AUDIENCE = 'tokenkeeper-demo'
const ALG = 'ES256'

/** The profile claims an access token carries besides the registered ones. */
export interface Profile {
  sub: string
  name: string
  email: string
  scope: string
}

export interface IssuedToken {
  token: string
  jti: string
  /** Epoch ms on the server clock. */
  expiresAt: number
}

export interface TokenService {
  /** The public half of the signing key, as served at /.well-known/jwks.json. */
  readonly jwks: { keys: JWK[] }
  issue(profile: Profile, issuer: string, ttlSeconds: number): Promise<IssuedToken>
  /** Checks signature, iss, aud, exp and nbf against the server clock; throws on any failure. */
  verify(token: string, issuer: string): Promise<JWTPayload>
}

export function createTokenService(now: () => number, signingKey?: string): TokenService {
  const { publicKey, privateKey } = loadKeyPair(signingKey)
  const exported = publicKey.export({ format: 'jwk' })
  const kid = thumbprint(exported)
  const publicJwk: JWK = { ...exported, kid, alg: ALG, use: 'sig' }

  return {
    jwks: { keys: [publicJwk] },
    async issue(profile, issuer, ttlSeconds) {
      const iat = Math.floor(now() / 1000)
      const exp = iat + ttlSeconds
      const jti = randomUUID()
      const token = await new SignJWT({ scope: profile.scope, name: profile.name, email: profile.email })
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setSubject(profile.sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(privateKey)
      return { token, jti, expiresAt: exp * 1000 }
    },
    async verify(token, issuer) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience: AUDIENCE,
        algorithms: [ALG],
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'exp', 'jti'],
      })
      return payload
    },
  }
}

/** The configured key (PKCS#8 PEM), or a new one per process start: tokens from an earlier run must not verify. */
function loadKeyPair(pem: string | undefined): { publicKey: KeyObject; privateKey: KeyObject } {
  if (!pem) return generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const privateKey = createPrivateKey(pem)
  if (privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new TypeError('signingKey must be an EC P-256 private key (ES256)')
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/** RFC 7638 JWK thumbprint of an EC public key, used as the `kid`. */
function thumbprint(jwk: { crv?: string; x?: string; y?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y })
  return createHash('sha256').update(canonical).digest('base64url')
}
