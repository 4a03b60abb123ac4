import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError } from '../../src/core/errors.ts'
import {
  createSession,
  decodeToken,
  hasScope,
  leewayMs,
  parseTokenResponse,
  sessionFromTab,
} from '../../src/core/token.ts'
import { makeJwt, makeToken } from '../helpers/make-jwt.ts'

// A fixed "local now": createSession takes receivedAt, so no clock is needed.
const NOW = Date.UTC(2030, 0, 1)
const NOW_S = NOW / 1000
const HOUR = 3_600_000
const DAY = 24 * HOUR

const b64 = (text: string) => Buffer.from(text).toString('base64url')
const header = b64(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))
const withPayload = (payload: string) => `${header}.${payload}.c2ln`

function errorOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

function expectInvalidToken(run: () => unknown) {
  const error = errorOf(run)
  expect(error).toBeInstanceOf(AuthError)
  expect(error).toMatchObject({ code: 'invalid_token' })
}

describe('decodeToken', () => {
  it('returns the header and the claims', () => {
    const token = makeJwt({ sub: 'u1', exp: 2_000_000_000 }, { alg: 'ES256', kid: 'k1' })
    expect(decodeToken(token)).toEqual({
      header: { alg: 'ES256', kid: 'k1' },
      claims: { sub: 'u1', exp: 2_000_000_000 },
    })
  })

  it.each([
    ['two parts', `${header}.${b64('{"sub":"u"}')}`],
    ['four parts', `${header}.${b64('{"sub":"u"}')}.c2ln.c2ln`],
    ['a payload that is not base64', withPayload('%%%%')],
    ['a header that is not base64', `%%%%.${b64('{"sub":"u"}')}.c2ln`],
    ['a payload that is not JSON', withPayload(b64('not json'))],
    ['a payload that is a JSON array', withPayload(b64('[1,2]'))],
    ['a payload that is a JSON number', withPayload(b64('42'))],
    ['a payload that is JSON null', withPayload(b64('null'))],
    ['an empty string', ''],
  ])('rejects %s as invalid_token', (_name, token) => {
    expectInvalidToken(() => decodeToken(token))
  })

  it.each([42, null, undefined, {}])('rejects the non-string %s as invalid_token', (value) => {
    expectInvalidToken(() => decodeToken(value as unknown as string))
  })

  it('keeps the token out of the error and its cause', () => {
    const token = withPayload(b64('{"sub": nope'))
    const error = errorOf(() => decodeToken(token)) as AuthError
    for (const text of [String(error), JSON.stringify(error), String(error.cause)]) {
      expect(text).not.toContain(token)
    }
  })
})

describe('createSession lifetime', () => {
  it('uses expires_in over the claims when the server sent it', () => {
    const session = createSession(makeToken(300, NOW), 120, NOW)
    expect(session.lifetime).toBe(120_000)
    expect(session.expiresAt).toBe(NOW + 120_000)
  })

  it('uses exp - iat when there is no expires_in', () => {
    const session = createSession(makeToken(300, NOW), undefined, NOW)
    expect(session.expiresAt).toBe(NOW + 300_000)
  })

  it('uses exp - now when there is neither expires_in nor iat', () => {
    const session = createSession(makeJwt({ exp: NOW_S + 90 }), undefined, NOW)
    expect(session.expiresAt).toBe(NOW + 90_000)
  })

  it('accepts a token without exp when expires_in is given', () => {
    const session = createSession(makeJwt({ sub: 'u1' }), 60, NOW)
    expect(session.expiresAt).toBe(NOW + 60_000)
  })

  it('returns the token and its claims', () => {
    const token = makeToken(300, NOW)
    expect(createSession(token, undefined, NOW)).toMatchObject({ token, claims: { sub: 'user-1' } })
  })

  it('rejects a token with neither exp nor expires_in', () => {
    expectInvalidToken(() => createSession(makeJwt({ sub: 'u1', iat: NOW_S }), undefined, NOW))
  })

  it('rejects an exp given as a string like "1d"', () => {
    expectInvalidToken(() => createSession(makeJwt({ iat: NOW_S, exp: '1d' }), undefined, NOW))
  })

  it('rejects an exp given in milliseconds', () => {
    expectInvalidToken(() => createSession(makeJwt({ exp: NOW + 60_000 }), undefined, NOW))
  })

  it('rejects an exp in milliseconds next to an iat in seconds', () => {
    expectInvalidToken(() => createSession(makeJwt({ iat: NOW_S, exp: NOW + 60_000 }), undefined, NOW))
  })

  it.each([0, -10])('rejects exp - iat = %s', (delta) => {
    expectInvalidToken(() => createSession(makeJwt({ iat: NOW_S, exp: NOW_S + delta }), undefined, NOW))
  })

  it('rejects an exp already past on the local clock when there is no iat', () => {
    expectInvalidToken(() => createSession(makeJwt({ exp: NOW_S - 1 }), undefined, NOW))
  })

  it.each([0, -5, Number.NaN])('rejects expires_in = %s', (expiresIn) => {
    expectInvalidToken(() => createSession(makeToken(300, NOW), expiresIn, NOW))
  })

  it.each([Number.POSITIVE_INFINITY, 1e306])('rejects expires_in = %s for a token without iat', (expiresIn) => {
    // 1e306 s is finite, but 1e306 * 1000 ms overflows to Infinity.
    expectInvalidToken(() => createSession(makeJwt({ exp: NOW_S + 300 }), expiresIn, NOW))
  })

  it('takes exp - iat when it is shorter than expires_in (an expires_in sent in ms)', () => {
    expect(createSession(makeToken(12, NOW), 12_000, NOW).lifetime).toBe(12_000)
  })

  it('takes expires_in when it is shorter than exp - iat', () => {
    expect(createSession(makeToken(300, NOW), 60, NOW).lifetime).toBe(60_000)
  })

  it('takes expires_in over exp - now when there is no iat (the client clock may be wrong)', () => {
    expect(createSession(makeJwt({ exp: NOW_S + 3_600 }), 300, NOW + HOUR).lifetime).toBe(300_000)
  })

  it.each([
    ['an hour ahead', HOUR],
    ['an hour behind', -HOUR],
  ])('gives the same lifetime when the client clock is %s', (_name, skew) => {
    const token = makeToken(300, NOW) // issued at the real time NOW
    const session = createSession(token, undefined, NOW + skew)
    expect(session.expiresAt - (NOW + skew)).toBe(300_000)
  })

  it('returns a finite future expiry or throws invalid_token for any string', () => {
    const nearNow = fc.integer({ min: NOW_S - 1_000, max: NOW_S + 100_000 })
    const claim = fc.oneof(nearNow, fc.integer(), fc.double(), fc.string(), fc.constant(undefined), fc.constant(null))
    const jwtLike = fc.record({ exp: claim, iat: claim }, { requiredKeys: [] }).map((claims) => makeJwt(claims))
    const parts = fc.array(fc.string(), { minLength: 1, maxLength: 5 }).map((p) => p.join('.'))
    const anyJson = fc.jsonValue().map((value) => withPayload(b64(JSON.stringify(value) ?? '')))
    fc.assert(
      fc.property(fc.oneof(fc.string(), parts, jwtLike, anyJson), (token) => {
        try {
          const session = createSession(token, undefined, NOW)
          expect(Number.isFinite(session.expiresAt)).toBe(true)
          expect(session.expiresAt).toBeGreaterThan(NOW)
        } catch (error) {
          expect(error).toBeInstanceOf(AuthError)
          expect(isAuthError(error, 'invalid_token')).toBe(true)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('sessionFromTab', () => {
  const token = makeToken(300, NOW)

  it('takes a token another tab shared while it is still valid', () => {
    const session = sessionFromTab({ token, expiresAt: NOW + 300_000, lifetime: 300_000 }, NOW)
    expect(session).toMatchObject({ token, expiresAt: NOW + 300_000, lifetime: 300_000, claims: { sub: 'user-1' } })
  })

  it('rejects a shared token whose expiresAt has passed', () => {
    expectInvalidToken(() => sessionFromTab({ token, expiresAt: NOW, lifetime: 300_000 }, NOW))
  })

  it('rejects a shared token that does not decode', () => {
    expectInvalidToken(() => sessionFromTab({ token: 'a.b', expiresAt: NOW + 1000, lifetime: 1000 }, NOW))
  })
})

describe('leewayMs', () => {
  it('defaults to 60 s for a 30-day token', () => {
    expect(leewayMs(30 * DAY)).toBe(60_000)
  })

  it('defaults to 20% of the lifetime for a 10 s token', () => {
    expect(leewayMs(10_000)).toBe(2_000)
  })

  it('defaults to at least 1 s, which covers the whole-second rounding of exp', () => {
    expect(leewayMs(3_000)).toBe(1_000)
  })

  it('never defaults to more than half of a very short lifetime', () => {
    expect(leewayMs(1_500)).toBe(750)
  })

  it('uses the user leeway in seconds', () => {
    expect(leewayMs(300_000, 30)).toBe(30_000)
  })

  it('clamps the user leeway to half the lifetime', () => {
    expect(leewayMs(10_000, 30)).toBe(5_000)
  })

  it('clamps a negative user leeway to zero', () => {
    expect(leewayMs(300_000, -5)).toBe(0)
  })

  it('stays within [0, lifetime / 2] for a user leeway that is not a number', () => {
    // e.g. refreshLeeway: Number(import.meta.env.VITE_LEEWAY) when the variable is unset.
    const leeway = leewayMs(300_000, Number.NaN)
    expect(leeway).toBeGreaterThanOrEqual(0)
    expect(leeway).toBeLessThanOrEqual(150_000)
  })
})

describe('hasScope', () => {
  it('finds a scope in the space-separated scope claim', () => {
    expect(hasScope({ scope: 'profile api:read' } as never, 'api:read')).toBe(true)
  })

  it('does not match part of a scope', () => {
    expect(hasScope({ scope: 'profile api:read' } as never, 'api')).toBe(false)
  })

  it('finds a scope in a scopes array', () => {
    expect(hasScope({ scopes: ['a', 'b'] } as never, 'b')).toBe(true)
  })

  it('finds a scope in a permissions array', () => {
    expect(hasScope({ permissions: ['read:x'] } as never, 'read:x')).toBe(true)
  })

  it('is false when no scope claim is present', () => {
    expect(hasScope({ sub: 'u1' }, 'a')).toBe(false)
  })

  it('is false for null claims', () => {
    expect(hasScope(null, 'a')).toBe(false)
  })
})

describe('createSession edge cases', () => {
  it('rejects a lifetime so short that the expiry would equal the receive time', () => {
    expect(() => createSession(makeJwt({ iat: 100, exp: 100 + 1e-9 }), undefined, 1_893_456_000_000)).toThrow(
      expect.objectContaining({ code: 'invalid_token' }),
    )
  })
})

describe('parseTokenResponse (the default)', () => {
  it.each(['access_token', 'accessToken', 'token'])('reads the token from %s', (key) => {
    expect(parseTokenResponse({ [key]: 'jwt' }).accessToken).toBe('jwt')
  })

  it('prefers access_token over accessToken over token', () => {
    expect(parseTokenResponse({ token: 'c', accessToken: 'b', access_token: 'a' }).accessToken).toBe('a')
    expect(parseTokenResponse({ token: 'c', accessToken: 'b' }).accessToken).toBe('b')
  })

  it.each(['expires_in', 'expiresIn'])('reads the lifetime from %s', (key) => {
    expect(parseTokenResponse({ token: 'jwt', [key]: 60 }).expiresIn).toBe(60)
  })

  it('turns a string expires_in into a number', () => {
    expect(parseTokenResponse({ access_token: 'jwt', expires_in: '3600' }).expiresIn).toBe(3600)
  })

  it('leaves expiresIn undefined when the server sent none', () => {
    expect(parseTokenResponse({ access_token: 'jwt' }).expiresIn).toBeUndefined()
  })
})
