import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { launchProfile } from './helpers/browser.ts'

it('launches Debian Chromium headless with Web Locks and BroadcastChannel on 127.0.0.1', async () => {
  const server = createServer((_, res) => res.end('<p>hi</p>')).listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const profile = await launchProfile()
  try {
    const page = profile.pages()[0] ?? (await profile.newPage())
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    expect(await page.evaluate(() => [typeof navigator.locks?.request, typeof BroadcastChannel])).toEqual([
      'function',
      'function',
    ])
  } finally {
    await profile.dispose()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
