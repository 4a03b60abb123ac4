// The Chromium half of the bench: Debian's /usr/bin/chromium through playwright-core
// (nothing is downloaded), one fresh browser per run. The bench page
// (bench/browser-page.ts with the built dist/, bundled for production) is served by
// the real demo server, started in-process on 127.0.0.1, so start-up is measured
// against real /auth endpoints and a real HttpOnly refresh cookie.
import { resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'rolldown'
import { startServer, type App, type TestServerHandle } from '../demo/server/index.ts'
import type { BenchPage, StartupResult } from './browser-page.ts'
import type { PerRequestResult } from './per-request.ts'
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../test/e2e/helpers/browser.ts'

// The e2e suite's Chromium and flags, plus what the bench needs: a callable gc().
const FLAGS = [...CHROMIUM_FLAGS, '--js-flags=--expose-gc']
const ROOT = resolve(import.meta.dirname, '..')
const DEMO_USER = { username: 'demo', password: 'demo1234' }

declare global {
  interface Window {
    bench: BenchPage
  }
}

/** The demo server with the bench page mounted at /bench. */
export async function startBenchServer(): Promise<TestServerHandle> {
  const script = await bundlePage()
  const page = `<!doctype html><meta charset="utf-8"><title>tokenkeeper bench</title><link rel="icon" href="data:,">
<script type="module" src="/bench/page.js"></script>`
  return startServer({
    port: 0,
    accessTtl: 300,
    testMode: true,
    mount: (app: App) => {
      app.get('/bench', (c) => c.html(page))
      app.get('/bench/page.js', () => new Response(script, { headers: { 'Content-Type': 'text/javascript' } }))
    },
  })
}

/** bench/browser-page.ts and what it imports, with 'tokenkeeper' taken from dist/, as one script. */
async function bundlePage(): Promise<string> {
  const { output } = await build({
    input: resolve(ROOT, 'bench/browser-page.ts'),
    write: false,
    resolve: { alias: { 'tokenkeeper/ky': resolve(ROOT, 'dist/ky.js'), tokenkeeper: resolve(ROOT, 'dist/index.js') } },
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    output: { format: 'es', codeSplitting: false },
  })
  return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n')
}

async function withBrowser<T>(run: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS })
  try {
    return await run(browser)
  } finally {
    await browser.close()
  }
}

async function openBench(context: BrowserContext, server: TestServerHandle, query = ''): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${server.url}/bench${query}`)
  await page.waitForFunction(() => window.bench !== undefined)
  return page
}

/** One run of bench/per-request.ts in a fresh browser. */
export function perRequestInChromium(server: TestServerHandle, token: string, rounds: number) {
  return withBrowser(async (browser) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    await page.exposeFunction('threadCpuNs', async () => {
      const { metrics } = await cdp.send('Performance.getMetrics')
      return metrics.find((metric) => metric.name === 'ThreadTime')!.value * 1e9
    })
    await page.goto(`${server.url}/bench`)
    await page.waitForFunction(() => window.bench !== undefined)
    return page.evaluate(([token, rounds]) => window.bench.perRequest(token, rounds), [token, rounds] as const)
  }) as Promise<PerRequestResult>
}

export interface StartupRun {
  /** restore() in the only tab of a browser whose cookie holds a session, once per load. */
  alone: StartupResult[]
  /** restore() in a new tab while another tab holds a valid token. */
  beside: StartupResult & { serverRefreshes: number }
}

/** Logs in, closes that tab, then loads the page alone `loads` times and once beside an open tab. */
export function startupInChromium(server: TestServerHandle, loads: number): Promise<StartupRun> {
  return withBrowser(async (browser) => {
    const context = await browser.newContext()
    const login = await openBench(context, server)
    const status = await login.evaluate((user) => window.bench.login(user), DEMO_USER)
    if (status !== 'authenticated') throw new Error(`login: ${status}`)
    await login.close()

    const page = await openBench(context, server, '?restore')
    const alone: StartupResult[] = []
    for (let i = 0; i < loads; i++) {
      if (i > 0) await page.reload()
      alone.push(await startupOf(page))
    }
    const before = server.stats.refreshes
    const second = await openBench(context, server, '?restore')
    const beside = { ...(await startupOf(second)), serverRefreshes: server.stats.refreshes - before }
    return { alone, beside }
  })
}

async function startupOf(page: Page): Promise<StartupResult> {
  await page.waitForFunction(() => window.bench?.startup !== undefined, undefined, { timeout: 15_000 })
  const result = await page.evaluate(() => window.bench.startup!)
  if (result.status !== 'authenticated') throw new Error(`restore() ended ${result.status}`)
  return result
}
