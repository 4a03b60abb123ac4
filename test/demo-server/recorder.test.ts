// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startHeaderRecorder, type HeaderRecorder } from '../../demo/server/recorder.ts'

describe('startHeaderRecorder', () => {
  let recorder: HeaderRecorder
  beforeEach(async () => {
    recorder = await startHeaderRecorder()
  })
  afterEach(() => recorder.close())

  it('records the method, path and headers of every request', async () => {
    await fetch(`${recorder.url}/anything?x=1`, { headers: { Authorization: 'Bearer leak', 'X-Custom': 'yes' } })
    await fetch(`${recorder.url}/other`, { method: 'POST', body: 'hello' })
    expect(recorder.requests.map(({ method, path }) => [method, path])).toEqual([
      ['GET', '/anything?x=1'],
      ['POST', '/other'],
    ])
    expect(recorder.requests[0]!.headers).toMatchObject({ authorization: 'Bearer leak', 'x-custom': 'yes' })
  })

  it('answers 200 JSON readable from any origin', async () => {
    const response = await fetch(recorder.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(await response.json()).toEqual({ ok: true })
  })

  it('answers a CORS preflight by allowing the requested headers and methods', async () => {
    const response = await fetch(`${recorder.url}/api`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:1',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type')
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT')
    expect(recorder.requests[0]!.method).toBe('OPTIONS')
  })

  it('allows any header in a preflight that names none', async () => {
    const response = await fetch(recorder.url, { method: 'OPTIONS' })
    expect(response.headers.get('access-control-allow-headers')).toBe('*')
  })
})
