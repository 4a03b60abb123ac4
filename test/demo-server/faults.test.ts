// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { getApi, login, postAuth, refresh, refreshCookiePair, type Session } from './helpers.ts'

describe('fault injection', () => {
  let server: TestServerHandle
  let session: Session
  beforeEach(async () => {
    server = await startServer({ testMode: true })
    session = await login(server)
  })
  afterEach(() => server.close())

  it('answers the next refresh with the injected status and Retry-After', async () => {
    server.faults.push({ kind: 'status', status: 503, retryAfter: 2 })
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(await response.json()).toEqual({ error: 'injected_fault', status: 503 })
  })

  it('consumes one fault per refresh, in order, then refreshes for real with the unspent cookie', async () => {
    server.faults.push({ kind: 'status', status: 500 }, { kind: 'status', status: 429 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await postAuth(server, 'refresh', session.cookie)).status)
    expect(statuses).toEqual([500, 429, 200])
    expect(server.stats).toMatchObject({ refreshes: 3, refreshFailures: 2, refreshOk: 1 })
  })

  it('hangs a refresh until the client aborts', async () => {
    server.faults.push({ kind: 'hang' })
    const controller = new AbortController()
    const pending = postAuth(server, 'refresh', session.cookie, { signal: controller.signal })
    await vi.waitFor(() => expect(server.faults.pending()).toBe(0))
    controller.abort()
    await expect(pending).rejects.toThrow(/abort/i)
    expect((await postAuth(server, 'refresh', session.cookie)).status).toBe(200)
  })

  it('releases a hanging refresh when the server closes', async () => {
    server.faults.push({ kind: 'hang' })
    const pending = postAuth(server, 'refresh', session.cookie)
    await vi.waitFor(() => expect(server.faults.pending()).toBe(0))
    await server.close()
    await expect(pending).rejects.toThrow(TypeError)
  })

  it('drops the connection without an answer', async () => {
    server.faults.push({ kind: 'drop' })
    await expect(postAuth(server, 'refresh', session.cookie)).rejects.toThrow(TypeError)
  })

  it('answers 200 with an HTML page for html', async () => {
    server.faults.push({ kind: 'html' })
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('<h1>')
  })

  it('answers 200 with an empty JSON-typed body for empty', async () => {
    server.faults.push({ kind: 'empty' })
    const response = await postAuth(server, 'refresh', session.cookie)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('queues faults over HTTP with POST /__test/faults', async () => {
    const set = await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh: [{ kind: 'status', status: 401 }] }),
    })
    expect(set.status).toBe(204)
    expect((await postAuth(server, 'refresh', session.cookie)).status).toBe(401)
  })

  it('rejects a malformed fault plan with 400', async () => {
    const response = await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh: [{ kind: 'status', status: 200 }] }),
    })
    expect(response.status).toBe(400)
    expect(server.faults.pending()).toBe(0)
  })

  it('refuses an invalid fault pushed on the handle', () => {
    expect(() => server.faults.push({ kind: 'explode' } as never)).toThrow(TypeError)
  })

  describe('commit-then-drop', () => {
    it('rotates, then destroys the socket without an answer; the lost child comes back on a retry', async () => {
      server.faults.push({ kind: 'commit-then-drop' })
      await expect(postAuth(server, 'refresh', session.cookie)).rejects.toThrow(TypeError)
      expect(server.stats).toMatchObject({ refreshOk: 1, refreshReplays: 0 })
      // The retry presents the spent cookie: within the grace, it gets the child the lost answer held.
      const retry = await refresh(server, session.cookie)
      expect(server.stats).toMatchObject({ refreshOk: 2, refreshReplays: 1, reuseDetections: 0 })
      expect((await postAuth(server, 'refresh', retry.cookie)).status).toBe(200)
    })

    it('is queued over HTTP too', async () => {
      const set = await fetch(`${server.url}/__test/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh: [{ kind: 'commit-then-drop' }] }),
      })
      expect(set.status).toBe(204)
      await expect(postAuth(server, 'refresh', session.cookie)).rejects.toThrow(TypeError)
      expect(server.stats.refreshOk).toBe(1)
    })
  })

  describe('commit-then-hang', () => {
    it('rotates, then answers only after the given time', async () => {
      server.faults.push({ kind: 'commit-then-hang', ms: 200 })
      let settled = false
      const pending = postAuth(server, 'refresh', session.cookie).finally(() => (settled = true))
      await vi.waitFor(() => expect(server.stats.refreshOk).toBe(1)) // committed...
      expect(settled).toBe(false) // ...and still held
      const response = await pending
      expect(response.status).toBe(200)
      expect((await postAuth(server, 'refresh', refreshCookiePair(response))).status).toBe(200)
    })

    it('loses the answer when the client leaves while it is held', async () => {
      server.faults.push({ kind: 'commit-then-hang', ms: 30_000 })
      const controller = new AbortController()
      const pending = postAuth(server, 'refresh', session.cookie, { signal: controller.signal })
      await vi.waitFor(() => expect(server.stats.refreshOk).toBe(1))
      controller.abort()
      await expect(pending).rejects.toThrow(/abort/i)
      expect(server.stats).toMatchObject({ refreshReplays: 0, reuseDetections: 0 })
    })

    it('is released when the server closes', async () => {
      server.faults.push({ kind: 'commit-then-hang', ms: 30_000 })
      const pending = postAuth(server, 'refresh', session.cookie)
      await vi.waitFor(() => expect(server.stats.refreshOk).toBe(1))
      await server.close()
      await expect(pending).rejects.toThrow(TypeError)
    })

    it.each([
      { kind: 'commit-then-hang' },
      { kind: 'commit-then-hang', ms: -1 },
      { kind: 'commit-then-hang', ms: 600_000 },
    ])('refuses %j in a fault plan', async (fault) => {
      const response = await fetch(`${server.url}/__test/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh: [fault] }),
      })
      expect(response.status).toBe(400)
    })
  })

  it('injects faults into /api calls with setFaults', async () => {
    server.setFaults({ api: [{ kind: 'status', status: 502 }] })
    expect((await getApi(server, '/api/me', session.accessToken)).status).toBe(502)
    expect((await getApi(server, '/api/me', session.accessToken)).status).toBe(200)
  })
})
