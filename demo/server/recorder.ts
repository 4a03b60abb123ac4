import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  /** As Node parsed them: lower-case names. */
  headers: IncomingHttpHeaders
}

export interface HeaderRecorder {
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

/**
 * A "foreign origin" for browser tests: it records every request (preflights included)
 * and lets any origin read its answers.
 */
export async function startHeaderRecorder(): Promise<HeaderRecorder> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers } })
    req.resume()
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (req.method === 'OPTIONS') {
      // `*` does not cover Authorization (Fetch spec), so echo what was asked for:
      // a request that wrongly carries a Bearer header must still arrive and be recorded.
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*')
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS')
      res.setHeader('Access-Control-Max-Age', '0')
      res.writeHead(204).end()
      return
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
