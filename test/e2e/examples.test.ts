// examples/react and examples/vue in real Chromium: each app as a user builds it (the
// packed package installed from its tarball, then `vite build`: run `bash examples/build.sh`
// first), served by the reference server on the same origin as /auth and /api.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type App, type TestServerHandle } from '../../demo/server/index.ts'
import { launchProfile } from './helpers/browser.ts'
import { DEMO_USER } from './helpers/harness.ts'

const EXAMPLES = resolve(import.meta.dirname, '../../examples')
const WAIT = { timeout: 15_000, interval: 50 }
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

type Profile = Awaited<ReturnType<typeof launchProfile>>

describe.each(['react', 'vue'])('examples/%s', (name) => {
  const dist = join(EXAMPLES, name, 'dist')
  let server: TestServerHandle
  let profile: Profile
  let pageErrors: string[]

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) {
      throw new Error(
        `${dist} is missing: run \`bash examples/build.sh\` (packs the SDK, installs and builds the examples)`,
      )
    }
    server = await startServer({ port: 0, accessTtl: 30, testMode: true, mount: serveSpa(dist) })
  })
  afterAll(async () => {
    await server?.close()
  })
  beforeEach(async () => {
    server.reset()
    pageErrors = []
    profile = await launchProfile()
  })
  afterEach(async () => {
    await profile?.dispose()
    // An unhandled rejection (a wrong password the app forgot to catch) is a page error too.
    expect(pageErrors).toEqual([])
  })

  async function open(path: string): Promise<Page> {
    const page = await profile.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${server.url}${path}`)
    return page
  }

  const pathOf = (page: Page) => new URL(page.url()).pathname

  async function signIn(page: Page, password = DEMO_USER.password): Promise<void> {
    await page.getByLabel('Username').fill(DEMO_USER.username)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  /** Logs in from the protected route and waits for its content (claims + a call through auth.fetch). */
  async function signedInOnProfile(page: Page): Promise<void> {
    await expect.poll(() => pathOf(page), WAIT).toBe('/login')
    await signIn(page)
    await expect.poll(() => page.getByTestId('profile-email').textContent(), WAIT).toBe('demo@example.com')
  }

  it('sends a visitor without a session from the protected route to the login form', async () => {
    const page = await open('/profile')
    await expect.poll(() => pathOf(page), WAIT).toBe('/login')
    await expect(page.getByTestId('login-form').isVisible()).resolves.toBe(true)
    await expect.poll(() => page.getByTestId('session').textContent(), WAIT).toBe('Log in')
    expect(server.stats.refreshes).toBe(1) // the restore on load: no cookie, no session
    expect(server.stats.apiCalls).toBe(0)
  })

  it('shows a wrong password as a message, not an unhandled rejection', async () => {
    const page = await open('/login')
    await signIn(page, 'not-the-password')
    await expect.poll(() => page.getByTestId('login-error').textContent(), WAIT).toBe('Wrong username or password.')
    expect(pathOf(page)).toBe('/login')
    expect(server.stats.logins).toBe(0)
  })

  it('logs in, returns to the protected route and shows what the API answered through auth.fetch', async () => {
    const page = await open('/profile')
    await signedInOnProfile(page)
    expect(pathOf(page)).toBe('/profile')
    await expect(page.getByTestId('profile-name').textContent()).resolves.toBe('Demo User')
    await expect(page.getByTestId('session').textContent()).resolves.toContain('Signed in as Demo User')
    expect(server.stats).toMatchObject({ logins: 1, apiCalls: 1, api401s: 0 })
    // The page shows claims and API data, never the token itself.
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/)
  })

  it('restores the session on reload without ever showing the login form or a "Log in" link', async () => {
    const page = await open('/profile')
    await signedInOnProfile(page)
    server.reset()
    // Watches every DOM change from the first parse of the reloaded page.
    await page.addInitScript(() => {
      const seen = ((window as unknown as { seen: string[] }).seen = [] as string[])
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="login-form"]')) seen.push('login-form')
        if (document.querySelector('[data-testid="session"]')?.textContent?.includes('Log in')) seen.push('log-in-link')
      }).observe(document, { subtree: true, childList: true, characterData: true })
    })
    await page.reload()
    await expect.poll(() => page.getByTestId('profile-email').textContent(), WAIT).toBe('demo@example.com')
    expect(pathOf(page)).toBe('/profile')
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([])
    expect(server.stats).toMatchObject({ refreshes: 1, logins: 0, api401s: 0 })
  })

  it('leaves the protected route when another tab logs out', async () => {
    const first = await open('/profile')
    await signedInOnProfile(first)
    const second = await open('/profile')
    await expect.poll(() => second.getByTestId('profile-name').textContent(), WAIT).toBe('Demo User')

    await second.getByRole('button', { name: 'Log out' }).click()
    await expect.poll(() => pathOf(first), WAIT).toBe('/login')
    await expect(first.getByTestId('login-form').isVisible()).resolves.toBe(true)
    await expect(first.getByTestId('profile-name').count()).resolves.toBe(0)
    await expect.poll(() => pathOf(second), WAIT).toBe('/login')
  })
})

/** Serves a built SPA after the server's own routes: files from `dist`, index.html for every other path. */
function serveSpa(dist: string): (app: App) => void {
  const index = join(dist, 'index.html')
  return (app) => {
    app.get('*', (c) => {
      const file = resolve(dist, `.${decodeURIComponent(c.req.path)}`)
      const found = file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile() ? file : index
      const type = TYPES[extname(found)] ?? 'application/octet-stream'
      return new Response(readFileSync(found), { headers: { 'Content-Type': type, 'Cache-Control': 'no-store' } })
    })
  }
}
