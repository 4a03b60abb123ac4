import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

// Debian's Chromium, never a downloaded one; the flags keep it off the (closed) network.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** The flags of every Chromium we launch (the e2e suite and the bench). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const LAUNCH = { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS }

/** A browser profile: its tabs share cookies, storage, locks and channels; `dispose()` ends it. */
export type Profile = BrowserContext & { dispose(): Promise<void> }

/** One browser profile in a fresh user-data dir, in a browser of its own. */
export async function launchProfile(): Promise<Profile> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tokenkeeper-e2e-'))
  const context = await chromium.launchPersistentContext(userDataDir, LAUNCH)
  return Object.assign(context, {
    async dispose() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  })
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH)
}

/**
 * A fresh, empty profile (a browser context: no cookie, storage, lock or channel is
 * shared with any other context) in `browser`.
 */
export async function newProfile(browser: Browser): Promise<Profile> {
  const context = await browser.newContext()
  return Object.assign(context, { dispose: () => context.close() })
}
