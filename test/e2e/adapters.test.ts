// The React and Vue adapters in real Chromium, through the demo pages (demo/web)
// served with the reference auth server on one origin (demo/start.ts). Each test has
// a demo server and a browser profile of its own.
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startDemo, type TestDemoHandle } from '../../demo/start.ts'
import { useProfile } from './helpers/harness.ts'

// Long-lived tokens: the pages' own refresh timers never fire during a test, so the
// only refreshes are the ones a test causes.
const ACCESS_TTL = 30
// A hang guard, not a speed limit.
const WAIT = { timeout: 30_000, interval: 50 }

let demo: TestDemoHandle
let pageErrors: string[] = []

beforeEach(async () => {
  pageErrors = []
  demo = await startDemo({ port: 0, accessTtl: ACCESS_TTL, testMode: true })
})

afterEach(async () => {
  await demo?.close()
  expect(pageErrors).toEqual([])
})

// After hooks run in reverse: the profile closes before the demo server.
const browser = useProfile()

async function open(path: string): Promise<Page> {
  const page = await browser.profile.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(new URL(path, demo.url).href)
  // restore() has settled: no cookie yet, so nobody is logged in.
  await expect.poll(() => statusOf(page), WAIT).toBe('unauthenticated')
  return page
}

function statusOf(page: Page): Promise<string | null> {
  return page.getByTestId('status').textContent()
}

async function logIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect.poll(() => statusOf(page), WAIT).toBe('authenticated')
}

async function logOutAndExpectSignedOut(page: Page) {
  await page.getByRole('button', { name: 'Logout' }).click()
  await expect.poll(() => statusOf(page), WAIT).toBe('unauthenticated')
  await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
}

describe('the React page (tokenkeeper/react)', () => {
  it('logs in through the form, shows the user, and logs out', async () => {
    const page = await open('/')
    await logIn(page, 'demo', 'demo1234')
    await expect(page.getByTestId('user').textContent()).resolves.toBe('Demo User')
    await expect(page.getByTestId('claims').textContent()).resolves.toContain('"sub": "user-1"')
    // The page shows decoded claims and an event log, never the token itself.
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/)
    await logOutAndExpectSignedOut(page)
  })

  it('answers 50 concurrent requests fired after the token expired with one refresh call', async () => {
    const page = await open('/')
    await logIn(page, 'demo', 'demo1234')
    const before = { ...demo.server.stats }
    // The page's own timer refreshes ahead of expiry, so expire the token on the server's clock.
    demo.server.clock.advance((ACCESS_TTL + 1) * 1000)

    await page.getByRole('button', { name: 'Fire 50 concurrent requests' }).click()
    const result = page.getByTestId('burst-result')
    await expect.poll(() => result.getAttribute('data-ok'), WAIT).toBe('50')

    expect(demo.server.stats.api401s - before.api401s).toBeGreaterThan(0) // the token had indeed expired
    expect(demo.server.stats.refreshes - before.refreshes).toBe(1)
    await expect(result.getAttribute('data-refreshes')).resolves.toBe('1')
    await expect(result.textContent()).resolves.toContain('50 / 50 succeeded')
  })
})

describe('the Vue page (tokenkeeper/vue)', () => {
  it('logs in through the form, shows the user, and logs out', async () => {
    const page = await open('/vue.html')
    await logIn(page, 'alice', 'wonderland')
    await expect(page.getByTestId('user').textContent()).resolves.toBe('Alice Liddell')
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/)
    await logOutAndExpectSignedOut(page)
  })
})
