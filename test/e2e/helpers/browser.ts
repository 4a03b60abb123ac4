import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

// Debian's Chromium, never a downloaded one; the flags keep it off the (closed) network.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** One browser profile (a fresh user-data dir): its tabs share cookies, locks and channels. */
export async function launchProfile(): Promise<BrowserContext & { dispose(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tokenkeeper-e2e-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
  })
  return Object.assign(context, {
    async dispose() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  })
}
