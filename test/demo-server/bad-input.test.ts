// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TestServerHandle } from '../../demo/server/index.ts'
import { CSRF, JSON_POST } from './helpers.ts'

describe('bad input', () => {
  let server: TestServerHandle
  const postLoginRaw = (body: BodyInit, headers: Record<string, string> = JSON_POST, init: RequestInit = {}) =>
    fetch(`${server.url}/auth/login`, { method: 'POST', headers, body, ...init })
  beforeEach(async () => {
    server = await startServer({ testMode: true })
  })
  afterEach(() => server.close())

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await postLoginRaw('{"username": "demo",')
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'invalid_json' })
  })

  it('answers a body over 16 KB with 413', async () => {
    const response = await postLoginRaw(JSON.stringify({ username: 'demo', password: 'x'.repeat(17_000) }))
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('answers a streamed body over 16 KB with 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const response = await postLoginRaw(stream, JSON_POST, { duplex: 'half' } as RequestInit)
    expect(response.status).toBe(413)
  })

  it('accepts a streamed (chunked) body under the limit', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ username: 'demo', password: 'demo1234' }))
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => (controller.enqueue(body), controller.close()),
    })
    const response = await postLoginRaw(stream, JSON_POST, { duplex: 'half' } as RequestInit)
    expect(response.status).toBe(200)
  })

  it('answers OPTIONS on an auth or test route without a server error', async () => {
    for (const path of ['/auth/login', '/__test/clock']) {
      const response = await fetch(`${server.url}${path}`, { method: 'OPTIONS' })
      expect(response.status).toBeLessThan(500)
    }
  })

  it('answers a non-JSON content type with 415', async () => {
    const response = await postLoginRaw('username=demo&password=demo1234', {
      ...CSRF,
      'Content-Type': 'application/x-www-form-urlencoded',
    })
    expect(response.status).toBe(415)
    expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' })
  })

  it.each([
    ['a missing password', { username: 'demo' }],
    ['a non-string username', { username: 42, password: 'demo1234' }],
    ['an empty username', { username: '', password: 'demo1234' }],
    ['an array', ['demo', 'demo1234']],
    ['null', null],
  ])('answers %s with 400 invalid_request', async (_label, body) => {
    const response = await postLoginRaw(JSON.stringify(body))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('answers an unknown route with 404 JSON', async () => {
    const response = await fetch(`${server.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found' })
  })

  it('answers GET on a POST-only auth route with 404 JSON', async () => {
    const response = await fetch(`${server.url}/auth/login`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found' })
  })

  it('keeps serving after bad requests', async () => {
    await postLoginRaw('{')
    const response = await postLoginRaw(JSON.stringify({ username: 'demo', password: 'demo1234' }))
    expect(response.status).toBe(200)
  })
})
