// `npm run demo` (node demo/start.ts): the demo SPA and the reference auth server on ONE
// origin, as the token-mediating-backend pattern requires (the refresh cookie is
// SameSite=Strict). One node:http server: the auth server's routes go to
// the Hono app, everything else to Vite in middleware mode (which also shares the
// server for its HMR WebSocket). PORT (default 5173), HOST (default 127.0.0.1),
// ACCESS_TTL seconds (default 30) and TEST_MODE (default 1: the auth server's /__test/*
// routes, which the page's "Expire the token now" uses; 0 turns them off) come from the environment.
import { getRequestListener, type HttpBindings } from '@hono/node-server'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createServer as createViteServer, type ViteDevServer } from 'vite'
import { createApp, type AdjustableClock, type AuthApp, type FaultQueue, type Stats } from './server/index.ts'
import { intFromEnv, listen, stop } from './server/node-http.ts'

const VITE_CONFIG = fileURLToPath(new URL('./web/vite.config.ts', import.meta.url))
// Vite keys its pre-bundled deps on NODE_ENV, which vitest sets to 'test': a cache of
// its own keeps test runs and `npm run demo` from re-bundling each other's deps.
const TEST_CACHE_DIR = fileURLToPath(new URL('../node_modules/.vite/demo-test', import.meta.url))
const SERVER_PATHS = /^\/(?:auth|api|\.well-known)(?:[/?]|$)/
const TEST_PATHS = /^\/__test(?:[/?]|$)/

export interface DemoOptions {
  /** 0 picks a free port. @default 5173 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Access-token lifetime in seconds. @default 30 */
  accessTtl?: number
  /** Adds the auth server's /__test/* routes and exposes its counters and clock. @default false */
  testMode?: boolean
}

/** The auth server's test handles (test mode only). */
export interface DemoServer {
  stats: Stats
  faults: FaultQueue
  clock: AdjustableClock
  /** Zeroes the counters and drops queued faults. */
  reset(): void
}

export interface DemoHandle {
  /** Origin of the demo, e.g. `http://127.0.0.1:5173`; pages are `${url}/` and `${url}/vue.html`. */
  url: string
  port: number
  /** Stops Vite and the HTTP server, dropping open connections. */
  close(): Promise<void>
}

export interface TestDemoHandle extends DemoHandle {
  server: DemoServer
}

export function startDemo(options: DemoOptions & { testMode: true }): Promise<TestDemoHandle>
export function startDemo(options?: DemoOptions): Promise<DemoHandle>
export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle | TestDemoHandle> {
  const { port = 5173, host = '127.0.0.1', accessTtl = 30, testMode = false } = options
  let auth: AuthApp | undefined
  let vite: ViteDevServer | undefined

  const toAuthApp = getRequestListener((request, env) => auth!.app.fetch(request, env as HttpBindings), {
    // Leave the global Request/Response alone: Vite and the tests share this process.
    overrideGlobalObjects: false,
  })
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    if (!auth || !vite) return void res.writeHead(503).end('starting')
    if (SERVER_PATHS.test(path) || (testMode && TEST_PATHS.test(path))) return void toAuthApp(req, res)
    vite.middlewares(req, res, () => notFound(req, res))
  })
  await listen(server, port, host)

  const actualPort = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`
  auth = createApp({ accessTtl, testMode, issuer: url })
  try {
    vite = await createViteServer({
      configFile: VITE_CONFIG,
      logLevel: testMode ? 'warn' : 'info',
      ...(testMode && { cacheDir: TEST_CACHE_DIR }),
      clearScreen: false,
      server: { middlewareMode: true, ws: { server } },
      // The page shows "Expire the token now", which moves the server's clock (/__test/clock).
      define: { __DEMO_TEST_MODE__: JSON.stringify(testMode) },
    })
  } catch (error) {
    auth.dispose()
    await stop(server)
    throw error
  }

  const ready = { auth, vite }
  const close = async () => {
    ready.auth.dispose()
    await Promise.all([ready.vite.close(), stop(server)])
  }
  const handle: DemoHandle = { url, port: actualPort, close }
  if (!testMode) return handle
  const { stats, faults, clock, reset } = ready.auth
  return { ...handle, server: { stats, faults, clock, reset } }
}

function notFound(_req: IncomingMessage, res: ServerResponse) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
}

if (import.meta.main) {
  const demo = await startDemo({
    port: intFromEnv('PORT', 5173),
    host: process.env.HOST || '127.0.0.1',
    accessTtl: intFromEnv('ACCESS_TTL', 30),
    // On by default here: the page's "Expire the token now" needs the /__test/* routes.
    testMode: process.env.TEST_MODE !== '0',
  })
  console.log(`tokenkeeper demo: ${demo.url}/ (demo / demo1234)`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      demo.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
}
