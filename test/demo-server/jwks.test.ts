// @vitest-environment node
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AUDIENCE, startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { login } from './helpers.ts'

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)

describe('access tokens and the JWKS', () => {
  let server: TestServerHandle
  let verifyAtNow: (token: string) => ReturnType<typeof jwtVerify>
  beforeEach(async () => {
    server = await startServer({ testMode: true, accessTtl: 45, now: () => NOW })
    const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', server.url))
    verifyAtNow = (token) =>
      jwtVerify(token, jwks, { issuer: server.url, audience: AUDIENCE, currentDate: new Date(NOW) })
  })
  afterEach(() => server.close())

  it('serves a JWKS at /.well-known/jwks.json that verifies the issued access token', async () => {
    const { payload, protectedHeader } = await verifyAtNow((await login(server)).accessToken)
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: expect.any(String) })
    expect(payload).toMatchObject({
      sub: 'user-1',
      name: 'Demo User',
      email: 'demo@example.com',
      scope: 'profile api:read',
    })
  })

  it('publishes only the public half of the key, under the kid the tokens carry', async () => {
    const { accessToken } = await login(server)
    const { keys } = await (await fetch(`${server.url}/.well-known/jwks.json`)).json()
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: decodeProtectedHeader(accessToken).kid,
    })
    expect(keys[0]).not.toHaveProperty('d')
  })

  it('stamps iat from the server clock and exp = iat + accessTtl', async () => {
    const { payload } = await verifyAtNow((await login(server)).accessToken)
    expect(payload.iat).toBe(NOW / 1000)
    expect(payload.exp).toBe(NOW / 1000 + 45)
  })

  it('gives every token its own jti', async () => {
    const first = await verifyAtNow((await login(server)).accessToken)
    const second = await verifyAtNow((await login(server)).accessToken)
    expect(first.payload.jti).toEqual(expect.any(String))
    expect(first.payload.jti).not.toBe(second.payload.jti)
  })
})
