// The reference auth server of tokenkeeper (see DESIGN.md, "Reference server contract v2").
// Built on Hono + @hono/node-server: Hono's routing, cookie and body-limit helpers keep
// each rule a few lines, and the same app can be served alone (startServer) or mounted
// next to the demo SPA (createApp); the node adapter still gives us the raw socket,
// which the "drop" and "hang" faults need.
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, type AuthApp } from './app.ts'
import type { AdjustableClock } from './clock.ts'
import type { AppOptions } from './context.ts'
import type { FaultPlan, FaultQueue } from './faults.ts'
import type { Stats } from './stats.ts'
import { listen, stop } from './node-http.ts'

export { createApp, type AuthApp } from './app.ts'
export type { App, AppEnv, AppOptions } from './context.ts'
export type { Fault, FaultPlan, FaultQueue, FaultTarget } from './faults.ts'
export type { Stats, StoreCounts } from './stats.ts'
export type { AdjustableClock } from './clock.ts'
export { AUDIENCE } from './tokens.ts'
export { startHeaderRecorder, type HeaderRecorder, type RecordedRequest } from './recorder.ts'

export interface ServerOptions extends Omit<AppOptions, 'issuer'> {
  /** @default 0 (any free port) */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
}

export interface ServerHandle {
  /** Origin of the server, e.g. `http://127.0.0.1:5174`; also the `iss` of its tokens. */
  url: string
  port: number
  /** Stops listening, drops open connections (idle keep-alive ones too) and releases hanging requests. */
  close(): Promise<void>
}

export interface TestServerHandle extends ServerHandle {
  /** The live counters behind GET /__test/stats, and `stats.store`, the live record counts. */
  stats: Stats
  /** `faults.push(...)` queues refresh faults; see FaultQueue. */
  faults: FaultQueue
  setFaults(plan: FaultPlan): void
  /** The server clock; `advance(ms)` expires tokens without waiting. */
  clock: AdjustableClock
  /** Same as POST /__test/reset: zero the counters, drop queued faults. */
  reset(): void
}

export function startServer(options: ServerOptions & { testMode: true }): Promise<TestServerHandle>
export function startServer(options?: ServerOptions): Promise<ServerHandle>
export async function startServer(options: ServerOptions = {}): Promise<ServerHandle | TestServerHandle> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options
  let auth: AuthApp | undefined
  const server = createAdaptorServer({
    fetch: (request, env) => auth?.app.fetch(request, env as HttpBindings) ?? new Response(null, { status: 503 }),
    // Leave the global Request/Response alone: tests run this in the same process as fetch code.
    overrideGlobalObjects: false,
  }) as Server
  await listen(server, port, host)

  const actualPort = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`
  const ready: AuthApp = createApp({ ...appOptions, issuer: url })
  auth = ready
  const close = () => {
    ready.dispose()
    return stop(server)
  }
  const handle: ServerHandle = { url, port: actualPort, close }
  if (!appOptions.testMode) return handle
  return {
    ...handle,
    stats: ready.stats,
    faults: ready.faults,
    setFaults: (plan) => ready.faults.set(plan),
    clock: ready.clock,
    reset: ready.reset,
  }
}
