// What every other file stands on: Debian's Chromium starts headless, a page on
// 127.0.0.1 has Web Locks and BroadcastChannel, the tabs of one profile share them,
// and two profiles share nothing (so no test can leave state behind for the next).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchProfile } from './helpers/browser.ts'
import { useProfile } from './helpers/harness.ts'

let server: Server
let origin: string

beforeAll(async () => {
  server = createServer((_, res) => res.end('<p>hi</p>')).listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const browser = useProfile()

it('launches Debian Chromium headless with Web Locks and BroadcastChannel on 127.0.0.1', async () => {
  const profile = await launchProfile()
  try {
    const page = profile.pages()[0] ?? (await profile.newPage())
    await page.goto(`${origin}/`)
    expect(await page.evaluate(() => [typeof navigator.locks?.request, typeof BroadcastChannel])).toEqual([
      'function',
      'function',
    ])
  } finally {
    await profile.dispose()
  }
})

it('shares locks, channels and storage between the tabs of a profile, and nothing between profiles', async () => {
  const [a, b] = [await open(browser.profile), await open(browser.profile)]
  const other = await browser.profile.browser()!.newContext()
  try {
    const stranger = await open(other)
    await b.evaluate(() => {
      const channel = new BroadcastChannel('smoke')
      const heard = new Promise((resolve) => (channel.onmessage = (event) => resolve(event.data)))
      Object.assign(window, { heard })
    })
    await a.evaluate(() => {
      new BroadcastChannel('smoke').postMessage('hello')
      localStorage.setItem('smoke', 'a')
      void navigator.locks.request('smoke', () => new Promise(() => {}))
    })
    expect(await b.evaluate(() => (window as unknown as { heard: Promise<string> }).heard)).toBe('hello')
    const held = (page: Page) => page.evaluate(async () => (await navigator.locks.query()).held?.length ?? 0)
    await expect.poll(() => held(b), { timeout: 20_000 }).toBe(1)
    expect(await held(stranger)).toBe(0)
    expect(await b.evaluate(() => localStorage.getItem('smoke'))).toBe('a')
    expect(await stranger.evaluate(() => localStorage.getItem('smoke'))).toBeNull()
  } finally {
    await other.close()
  }
})

async function open(profile: { newPage(): Promise<Page> }): Promise<Page> {
  const page = await profile.newPage()
  await page.goto(`${origin}/`)
  return page
}
