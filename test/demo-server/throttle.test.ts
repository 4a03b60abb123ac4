// @vitest-environment node
// Login throttling (issue 9: 60 wrong passwords in 4 s, then the right one worked).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { JSON_POST, postLogin } from './helpers.ts'

const WRONG = 'not-the-password'

describe('login throttling', () => {
  let server: TestServerHandle
  beforeEach(async () => {
    server = await startServer({ testMode: true, trustProxy: true })
  })
  afterEach(() => server.close())

  const attempt = (username: string, password = WRONG, address = '203.0.113.1') =>
    fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { ...JSON_POST, 'X-Forwarded-For': address },
      body: JSON.stringify({ username, password }),
    })
  const answer = async (response: Response) => ({
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  })

  async function failTimes(times: number, username: string, address?: string) {
    for (let i = 0; i < times; i++) expect((await attempt(username, WRONG, address)).status).toBe(401)
  }

  it('answers 429 with Retry-After after 5 failures for a username, even to the right password', async () => {
    await failTimes(5, 'demo')
    expect(await answer(await attempt('demo', 'demo1234'))).toEqual({
      status: 429,
      retryAfter: '1',
      body: { error: 'rate_limited' },
    })
    expect(server.stats).toMatchObject({ logins: 0, loginFailures: 5, loginsThrottled: 1 })
  })

  it('locks for longer after every further failure', async () => {
    await failTimes(5, 'demo')
    const waits = []
    for (let i = 0; i < 4; i++) {
      const locked = await attempt('demo')
      const seconds = Number(locked.headers.get('retry-after'))
      waits.push(seconds)
      server.clock.advance(seconds * 1000)
      expect((await attempt('demo')).status).toBe(401) // one more try once the lock is over
    }
    expect(waits).toEqual([1, 2, 4, 8])
  })

  it('lets the right password in once the lock is over, and then forgets the failures', async () => {
    await failTimes(5, 'demo')
    server.clock.advance(1000)
    expect((await attempt('demo', 'demo1234')).status).toBe(200)
    await failTimes(4, 'demo')
  })

  it('answers a username that does not exist exactly like one that does (no oracle)', async () => {
    const transcript = async (username: string) => {
      const answers = []
      for (let i = 0; i < 7; i++)
        answers.push(await answer(await attempt(username, WRONG, `198.51.100.${username.length}`)))
      return answers
    }
    const known = await transcript('alice')
    const unknown = await transcript('nobody-here')
    expect(unknown).toEqual(known)
    expect(known.map((entry) => entry.status)).toEqual([401, 401, 401, 401, 401, 429, 429])
  })

  it('refuses a locked username at once, known or not, without checking any password', async () => {
    const lockedAnswerMs = async (username: string) => {
      await failTimes(5, username, `192.0.2.${username.length}`)
      const started = performance.now()
      await attempt(username, 'demo1234', `192.0.2.${username.length}`)
      return performance.now() - started
    }
    const unlockedAnswerMs = async () => {
      const started = performance.now()
      await attempt('bob', WRONG, '192.0.2.200')
      return performance.now() - started
    }
    const known = await lockedAnswerMs('demo')
    const unknown = await lockedAnswerMs('ghost')
    const hashed = await unlockedAnswerMs()
    console.log(
      `[throttle] 429 for a known user ${known.toFixed(1)} ms, unknown ${unknown.toFixed(1)} ms; a checked password ${hashed.toFixed(1)} ms`,
    )
    expect(server.stats.loginsThrottled).toBe(2)
    expect(server.stats.loginFailures).toBe(11) // 5 + 5 + bob: the two lock-outs checked no password
  })

  it('throttles per client address across usernames', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await failTimes(4, name, '203.0.113.7')
    const fromThere = await attempt('demo', 'demo1234', '203.0.113.7')
    expect(fromThere.status).toBe(429)
    expect((await attempt('demo', 'demo1234', '203.0.113.8')).status).toBe(200)
  })

  it('reads the address from the socket unless trustProxy is set', async () => {
    const direct = await startServer({ testMode: true })
    for (let i = 0; i < 4; i++) {
      for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) {
        await fetch(`${direct.url}/auth/login`, {
          method: 'POST',
          headers: { ...JSON_POST, 'X-Forwarded-For': `10.0.0.${i}` },
          body: JSON.stringify({ username: name, password: WRONG }),
        })
      }
    }
    const response = await postLogin(direct)
    await direct.close()
    expect(response.status).toBe(429)
  })

  it('counts attempts in flight, so a burst cannot slip past the limit before the first ones fail', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, () => attempt('demo').then((r) => r.status)))
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(7)
  })

  it('refuses logins at once when the password-hashing queue is full', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        attempt(`user${i}`, WRONG, `10.1.${i >> 8}.${i & 255}`).then((r) => r.status),
      ),
    )
    const checked = statuses.filter((status) => status === 401).length
    console.log(
      `[throttle] 64 concurrent logins from 64 addresses: ${checked} checked, ${64 - checked} refused with 429`,
    )
    expect(checked).toBeLessThan(64)
    expect(statuses.filter((status) => status === 429)).toHaveLength(64 - checked)
  })
})
