// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { COOKIE, getApi, login, postAuth, refresh, refreshCookiePair, refreshSetCookie } from './helpers.ts'

const GRACE_S = 30

describe('POST /auth/refresh', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true, refreshTtl: 3600, refreshGrace: GRACE_S })
  })
  afterEach(() => server.close())

  it('answers with a new access token and a rotated __Host-Http- cookie: HttpOnly, Secure, SameSite=Strict, Path=/, no Domain', async () => {
    const session = await login(server)
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 30 })
    expect(body.access_token).not.toBe(session.accessToken)
    const [pair, ...attributes] = refreshSetCookie(response)!.split('; ')
    expect(pair).not.toBe(session.cookie)
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=3600', 'Path=/', 'SameSite=Strict', 'Secure'])
  })

  it('rotates on every refresh', async () => {
    const first = await login(server)
    const second = await refresh(server, first.cookie)
    const third = await refresh(server, second.cookie)
    expect(new Set([first.cookie, second.cookie, third.cookie]).size).toBe(3)
  })

  describe('grace for a lost answer (issue 9)', () => {
    it('answers the spent parent again with the SAME child cookie while the child is unused', async () => {
      const parent = await login(server)
      const child = await refresh(server, parent.cookie)
      const replay = await refresh(server, parent.cookie)
      expect(replay.cookie).toBe(child.cookie)
      expect(replay.accessToken).not.toBe(child.accessToken)
      expect(server.stats).toMatchObject({ refreshOk: 2, refreshReplays: 1, reuseDetections: 0 })
    })

    it('gives the same child when the replay is answered before the first answer', async () => {
      const parent = await login(server)
      server.faults.push({ kind: 'commit-then-hang', ms: 300 })
      const first = postAuth(server, 'refresh', parent.cookie) // rotates, then is held
      const replay = await postAuth(server, 'refresh', parent.cookie)
      const late = await first
      expect([replay.status, late.status]).toEqual([200, 200])
      expect(refreshCookiePair(replay)).toBe(refreshCookiePair(late))
      // Whichever answer the browser stored last, the cookie it holds is the live one.
      expect((await postAuth(server, 'refresh', refreshCookiePair(late))).status).toBe(200)
    })

    it('answers two concurrent refreshes with one cookie both 200 with the same child', async () => {
      const session = await login(server)
      const responses = await Promise.all([
        postAuth(server, 'refresh', session.cookie),
        postAuth(server, 'refresh', session.cookie),
      ])
      expect(responses.map((response) => response.status)).toEqual([200, 200])
      expect(refreshCookiePair(responses[0]!)).toBe(refreshCookiePair(responses[1]!))
      const tokens = await Promise.all(responses.map(async (response) => (await response.json()).access_token))
      for (const token of tokens) expect((await getApi(server, '/api/me', token)).status).toBe(200)
    })

    it('sets the replayed child for what is left of its lifetime, not a fresh one', async () => {
      const parent = await login(server)
      await refresh(server, parent.cookie)
      server.clock.advance(10_000)
      const replay = await postAuth(server, 'refresh', parent.cookie)
      const maxAge = Number(/Max-Age=(\d+)/.exec(refreshSetCookie(replay)!)![1])
      expect(maxAge).toBeLessThanOrEqual(3590) // the wall clock moved on a little too
      expect(maxAge).toBeGreaterThan(3580)
    })
  })

  describe('reuse', () => {
    it('revokes the family and every access token of it once the child was used', async () => {
      const first = await login(server)
      const second = await refresh(server, first.cookie)
      const third = await refresh(server, second.cookie) // the child of `first` is now used
      const replay = await postAuth(server, 'refresh', first.cookie)
      expect(replay.status).toBe(401)
      expect(await replay.json()).toEqual({ error: 'invalid_grant', reason: 'reused' })
      const newest = await postAuth(server, 'refresh', third.cookie)
      expect(await newest.json()).toEqual({ error: 'invalid_grant', reason: 'revoked' })
      for (const { accessToken } of [first, second, third]) {
        const api = await getApi(server, '/api/me', accessToken)
        expect(api.status).toBe(401)
        expect(await api.json()).toEqual({ error: 'invalid_token', reason: 'revoked' })
      }
      expect(server.stats).toMatchObject({ reuseDetections: 1, refreshFailuresByReason: { reused: 1, revoked: 1 } })
    })

    it('treats the parent as reuse once the grace has passed, even with the child unused', async () => {
      const parent = await login(server)
      const child = await refresh(server, parent.cookie)
      server.clock.advance(GRACE_S * 1000)
      expect(await (await postAuth(server, 'refresh', parent.cookie)).json()).toMatchObject({ reason: 'reused' })
      expect(await (await postAuth(server, 'refresh', child.cookie)).json()).toMatchObject({ reason: 'revoked' })
    })

    it('has no grace when refreshGrace is 0', async () => {
      const strict = await startServer({ testMode: true, refreshGrace: 0 })
      const parent = await login(strict)
      await refresh(strict, parent.cookie)
      const replay = await postAuth(strict, 'refresh', parent.cookie)
      await strict.close()
      expect(await replay.json()).toMatchObject({ reason: 'reused' })
    })

    it('leaves other sessions of the same user alive when one family is revoked', async () => {
      const stolen = await login(server)
      const other = await login(server)
      const child = await refresh(server, stolen.cookie)
      await refresh(server, child.cookie)
      await postAuth(server, 'refresh', stolen.cookie)
      expect((await postAuth(server, 'refresh', other.cookie)).status).toBe(200)
    })
  })

  describe('reasons', () => {
    it('answers 401 missing without a cookie, and leaves the cookie jar alone', async () => {
      const response = await postAuth(server, 'refresh')
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: 'invalid_grant', reason: 'missing' })
      expect(refreshSetCookie(response)).toBeUndefined()
    })

    it('answers 401 expired to a token it never issued and clears the cookie with the same attributes', async () => {
      const response = await postAuth(server, 'refresh', `${COOKIE}=not-a-token-we-issued`)
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: 'invalid_grant', reason: 'expired' })
      expect(refreshSetCookie(response)).toBe(`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`)
    })

    it('answers 401 expired to a forged generation of a real family', async () => {
      const { cookie } = await login(server)
      const [family, , mac] = cookie.slice(COOKIE.length + 1).split('.')
      const response = await postAuth(server, 'refresh', `${COOKIE}=${family}.1.${mac}`)
      expect(await response.json()).toMatchObject({ reason: 'expired' })
      expect((await postAuth(server, 'refresh', cookie)).status).toBe(200)
    })

    it('answers 401 expired once the refresh lifetime has passed on the server clock', async () => {
      const session = await login(server)
      server.clock.advance(3600 * 1000)
      const response = await postAuth(server, 'refresh', session.cookie)
      expect(await response.json()).toEqual({ error: 'invalid_grant', reason: 'expired' })
    })

    it('renews the refresh lifetime with each rotation', async () => {
      const first = await login(server)
      server.clock.advance(3000 * 1000)
      const second = await refresh(server, first.cookie)
      server.clock.advance(3000 * 1000)
      expect((await postAuth(server, 'refresh', second.cookie)).status).toBe(200)
    })

    it('ends a session at its absolute lifetime, however often it refreshed: session_limit', async () => {
      const limited = await startServer({ testMode: true, refreshTtl: 600, sessionLifetime: 1800 })
      let session = await login(limited)
      for (let elapsed = 0; elapsed < 1500; elapsed += 500) {
        limited.clock.advance(500_000)
        session = await refresh(limited, session.cookie)
      }
      limited.clock.advance(300_000) // 1800 s since login; the token itself is 300 s old
      const response = await postAuth(limited, 'refresh', session.cookie)
      const stats = { ...limited.stats.refreshFailuresByReason }
      await limited.close()
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: 'invalid_grant', reason: 'session_limit' })
      expect(stats.session_limit).toBe(1)
    })
  })

  describe('duplicate cookies of the name (a planted one)', () => {
    it.each([
      ['before', (good: string) => `${COOKIE}=planted-garbage; ${good}`],
      ['after', (good: string) => `${good}; ${COOKIE}=planted-garbage`],
    ])('refreshes with the good cookie when a bad one comes %s it, and never clears it', async (_order, header) => {
      const session = await login(server)
      const response = await postAuth(server, 'refresh', header(session.cookie))
      expect(response.status).toBe(200)
      const cookie = refreshSetCookie(response)!
      expect(cookie).not.toContain('Max-Age=0')
      expect((await postAuth(server, 'refresh', cookie.split(';')[0])).status).toBe(200)
    })

    it('ignores a spent cookie of the family next to the live one', async () => {
      const first = await login(server)
      const second = await refresh(server, first.cookie)
      const third = await refresh(server, second.cookie)
      const response = await postAuth(server, 'refresh', `${first.cookie}; ${third.cookie}`)
      expect(response.status).toBe(200)
      expect(server.stats.reuseDetections).toBe(0)
    })

    it('clears the cookie when none of them is usable', async () => {
      const response = await postAuth(server, 'refresh', `${COOKIE}=one; ${COOKIE}=two`)
      expect(response.status).toBe(401)
      expect(refreshSetCookie(response)).toContain('Max-Age=0')
    })
  })
})
