// The page under test: the built SDK (dist/, unbundled, jwt-decode through an import
// map, process.env.NODE_ENV defined as a bundler would) served by the demo server
// itself, so the page, the auth endpoints and the API share one origin
// (http://127.0.0.1:PORT, a secure context: navigator.locks exists). Tests drive the
// page with page.evaluate() and assert on the server's counters and on what the page
// recorded (its events, and the calls the SDK made).
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startServer, type App, type TestServerHandle } from '../../../demo/server/index.ts'
import type { AuthClient } from '../../../src/index.ts'
import { launchBrowser, newProfile, type Profile } from './browser.ts'

export type { Profile } from './browser.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const DIST = join(ROOT, 'dist')
const JWT_DECODE = join(ROOT, 'node_modules/jwt-decode/build/esm/index.js')
// Hang guards, not speed limits: a busy 2-core machine may take seconds for what takes ms.
const READY_TIMEOUT = 30_000

/** What the page records: every state change and every event, never a token. */
export type HarnessEvent =
  | { type: 'state'; status: string; reason?: string; at: number }
  | { type: 'refresh' | 'session_expired' | 'logout' | 'error'; code?: string; at: number }

/** A request the SDK made through its `fetch`: method, path and when it was sent. */
export interface HarnessCall {
  method: string
  path: string
  at: number
}

declare global {
  interface Window {
    auth: AuthClient
    events: HarnessEvent[]
    calls: HarnessCall[]
    /** Set once the page's restore() (what an app does on load) has settled. */
    ready: boolean
    /** What restore() resolved to (a status) or rejected with (`error:<code>`). */
    restored: string | undefined
  }
}

/** Client options the page reads from its query string. */
export interface PageOptions {
  /** `refreshLeeway` in seconds. */
  leeway?: number
  /** `timeout` of each auth call, ms. */
  timeout?: number
  /** `retries` of a refresh. */
  retries?: number
}

export interface Harness {
  server: TestServerHandle
  /** The harness page's URL with the given client options. */
  pageUrl(options?: PageOptions): string
  close(): Promise<void>
}

export const DEMO_USER = { username: 'demo', password: 'demo1234' }

/**
 * Starts the demo server in test mode with the harness routes mounted:
 * GET /harness (the page), /sdk/* (dist/), /vendor/jwt-decode.js, and /echo
 * (answers which Authorization header reached this origin).
 */
export async function startHarness(options: { accessTtl: number }): Promise<Harness> {
  assertBuilt()
  const server = await startServer({ port: 0, accessTtl: options.accessTtl, testMode: true, mount: mountHarness })
  return {
    server,
    pageUrl: (pageOptions = {}) => `${server.url}/harness${toQuery(pageOptions)}`,
    close: () => server.close(),
  }
}

/**
 * One Chromium per test file, and per test a fresh profile (a browser context of its
 * own: cookies, storage, locks and channels start empty), closed after the test
 * whatever happened in it. A browser that died is launched again for the next test.
 */
export function useProfile(): { readonly profile: Profile } {
  let browser: Browser | undefined
  const live = {} as { profile: Profile }
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  beforeEach(async () => {
    if (!browser?.isConnected()) browser = await launchBrowser()
    live.profile = await newProfile(browser)
  })
  afterEach(async () => {
    await live.profile?.dispose()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return live
}

/**
 * Per test: a fresh demo server (test mode, `accessTtl` seconds) with the harness
 * mounted, and a fresh Chromium profile; both closed after the test.
 */
export function useHarness(accessTtl: number): { readonly harness: Harness; readonly profile: Profile } {
  const live = {} as { harness: Harness }
  beforeEach(async () => {
    live.harness = await startHarness({ accessTtl })
  })
  afterEach(async () => {
    await live.harness?.close()
  })
  // After hooks run in reverse ('stack'): the profile closes before the server.
  const browser = useProfile()
  return {
    get harness() {
      return live.harness
    },
    get profile() {
      return browser.profile
    },
  }
}

/** Opens a tab of `profile` on the harness page and waits until its restore() settled. */
export async function openTab(profile: BrowserContext, harness: Harness, options?: PageOptions): Promise<Page> {
  const blank = profile.pages().find((page) => page.url() === 'about:blank')
  const page = blank ?? (await profile.newPage())
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(harness.pageUrl(options))
  await waitReady(page).catch((error: Error) => {
    // Usually the module graph failed to load (a stale or missing dist/): say why.
    throw new Error(`the harness page never became ready: ${pageErrors.join('; ') || error.message}`)
  })
  // Without them the SDK falls back to single-tab mode and the cross-tab tests prove nothing.
  const crossTab = await page.evaluate(
    () => isSecureContext && 'locks' in navigator && typeof BroadcastChannel === 'function',
  )
  if (!crossTab) throw new Error(`${page.url()} has no Web Locks or BroadcastChannel (not a secure context?)`)
  return page
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.ready === true, undefined, { timeout: READY_TIMEOUT })
}

/** Logs the demo user in from `page`; resolves to the new status. */
export function login(page: Page): Promise<string> {
  return page.evaluate(async (user) => (await window.auth.login(user)).status, DEMO_USER)
}

export function statusOf(page: Page): Promise<{ status: string; reason?: string }> {
  return page.evaluate(() => {
    const state = window.auth.getState()
    return { status: state.status, reason: 'reason' in state ? state.reason : undefined }
  })
}

/** How many events of `type` the page has recorded so far. */
export function countEvents(page: Page, type: HarnessEvent['type']): Promise<number> {
  return page.evaluate((wanted) => window.events.filter((event) => event.type === wanted).length, type)
}

function mountHarness(app: App): void {
  app.get('/harness', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(PAGE)
  })
  app.get('/vendor/jwt-decode.js', () => javascript(readFileSync(JWT_DECODE, 'utf8')))
  app.get('/sdk/*', (c) => {
    const file = resolve(DIST, c.req.path.slice('/sdk/'.length))
    if (!file.startsWith(DIST + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return c.json({ error: 'not_found' }, 404)
    }
    const body = readFileSync(file, 'utf8')
    if (extname(file) === '.js') return javascript(body)
    return new Response(body, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } })
  })
  // Same origin as the API but outside /api: proves what the SDK itself attached.
  app.get('/echo', (c) => c.json({ authorization: c.req.header('authorization') ?? null }))
}

function javascript(text: string): Response {
  return new Response(text, {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

let warnedStale = false

function assertBuilt(): void {
  const entry = join(DIST, 'index.js')
  if (!existsSync(entry)) {
    throw new Error(`test/e2e loads the built SDK, and ${entry} is missing: run \`npm run build\` first.`)
  }
  // A stale build would test yesterday's SDK: say so rather than fail mysteriously.
  const built = statSync(entry).mtimeMs
  const newer = listFiles(join(ROOT, 'src')).filter((file) => statSync(file).mtimeMs > built)
  if (newer.length > 0 && !warnedStale) {
    warnedStale = true
    console.warn(`[e2e] dist/ is older than ${newer.length} file(s) in src/ (e.g. ${newer[0]}): run \`npm run build\`.`)
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

function toQuery(options: PageOptions): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) params.set(key, String(value))
  }
  const query = params.toString()
  return query ? `?${query}` : ''
}

// The app a user would write, minus the UI. Every event is logged without its payload
// (a 'refresh' payload is a state, which carries claims but never the token).
const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>tokenkeeper e2e harness</title>
<link rel="icon" href="data:,">
<script type="importmap">{"imports":{"jwt-decode":"/vendor/jwt-decode.js"}}</script>
<!-- What a bundler does for an app in development: dist/ keeps process.env.NODE_ENV for it to replace. -->
<script>globalThis.process = { env: { NODE_ENV: 'development' } }</script>
<script type="module">
import { createAuthClient } from '/sdk/index.js'

const params = new URLSearchParams(location.search)
const number = (name) => (params.has(name) ? Number(params.get(name)) : undefined)
const options = { allowedOrigins: [] }
if (params.has('leeway')) options.refreshLeeway = number('leeway')
if (params.has('timeout')) options.timeout = number('timeout')
if (params.has('retries')) options.retries = number('retries')

window.events = []
window.calls = []
// The SDK's underlying fetch, recording what it sends (method, path, time), nothing more.
options.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href)
  const method = (init && init.method) || (input instanceof Request ? input.method : 'GET')
  calls.push({ method, path: url.pathname, at: Date.now() })
  return fetch(input, init)
}
const auth = createAuthClient(options)
window.auth = auth
auth.subscribe((state) => events.push({ type: 'state', status: state.status, reason: state.reason, at: Date.now() }))
for (const type of ['refresh', 'session_expired', 'logout', 'error']) {
  auth.on(type, (payload) => events.push({ type, code: payload && payload.code, at: Date.now() }))
}

auth.restore().then(
  (state) => { window.restored = state.status },
  (error) => { window.restored = 'error:' + error.code },
).finally(() => { window.ready = true })
</script>
<p>tokenkeeper e2e harness</p>
</html>
`
