// Scenario 1 — the access token lives in memory only.
// After a real login in Chromium, the token that auth.getAccessToken() returns is in
// none of the page's storages (localStorage, sessionStorage, every IndexedDB database
// and store, Cache Storage, document.cookie) nor in any console line; the refresh
// cookie (contract v2: `__Host-Http-refresh`, HttpOnly, Secure, SameSite=Strict, Path=/,
// no Domain) is unreadable from JS (not in document.cookie) yet held by the browser.
// A canary written to each storage proves the scan can see what is there.
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { login, openTab, useHarness } from './helpers/harness.ts'

const REFRESH_COOKIE = '__Host-Http-refresh'
// Long-lived tokens: no refresh timer fires during the test.
const e2e = useHarness(30)

it('keeps the access token out of every storage the page can reach, and the refresh cookie out of JS', async () => {
  const { harness, profile } = e2e
  const page = await openTab(profile, harness)
  const consoleLines: string[] = []
  page.on('console', (message) => consoleLines.push(message.text()))
  expect(await login(page)).toBe('authenticated')
  const token = await page.evaluate(() => window.auth.getAccessToken())
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)

  await plantCanary(page, 'canary-7f3a')
  const dump = await dumpStorages(page)
  // The scan is not blind: the canary shows up in each storage it was written to.
  for (const where of ['localStorage', 'sessionStorage', 'indexedDB', 'caches']) {
    expect(dump[where], where).toContain('canary-7f3a')
  }
  const signature = token!.split('.')[2]!
  for (const [where, text] of Object.entries(dump)) {
    expect(text.includes(token!), `token found in ${where}`).toBe(false)
    expect(text.includes(signature), `token signature found in ${where}`).toBe(false)
  }
  expect(consoleLines.some((line) => line.includes(signature))).toBe(false)

  expect(dump['document.cookie']).not.toContain('refresh')
  const refresh = (await profile.cookies(harness.server.url)).find((cookie) => cookie.name === REFRESH_COOKIE)
  // Host-only (no Domain): the cookie belongs to 127.0.0.1 alone.
  expect(refresh).toMatchObject({ domain: '127.0.0.1', path: '/', httpOnly: true, secure: true, sameSite: 'Strict' })
  expect(refresh!.value).not.toBe('')
  const { refreshes, logins } = harness.server.stats
  console.log(`[storage] refreshes=${refreshes} (the restore of an empty profile) logins=${logins}`)
})

function plantCanary(page: Page, canary: string): Promise<void> {
  return page.evaluate(async (value) => {
    localStorage.setItem('canary', value)
    sessionStorage.setItem('canary', value)
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('canary-db', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('things')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const tx = open.result.transaction('things', 'readwrite')
        tx.objectStore('things').put({ value }, 'canary')
        tx.oncomplete = () => (open.result.close(), resolve())
        tx.onerror = () => reject(tx.error)
      }
    })
    const cache = await caches.open('canary-cache')
    await cache.put('/canary', new Response(value))
  }, canary)
}

/** Every storage of the page as text: keys and values, all IndexedDB databases and stores. */
function dumpStorages(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const entries = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, i) => [storage.key(i), storage.getItem(storage.key(i)!)])
    const request = <T>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
    const databases: unknown[] = []
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!)
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name, 'readonly').objectStore(name)
        databases.push({
          db: info.name,
          store: name,
          keys: await request(store.getAllKeys()),
          values: await request(store.getAll()),
        })
      }
      db.close()
    }
    const cached: unknown[] = []
    for (const name of await caches.keys()) {
      const cache = await caches.open(name)
      for (const req of await cache.keys()) {
        cached.push({ cache: name, url: req.url, body: await (await cache.match(req))!.text() })
      }
    }
    return {
      localStorage: JSON.stringify(entries(localStorage)),
      sessionStorage: JSON.stringify(entries(sessionStorage)),
      indexedDB: JSON.stringify(databases),
      caches: JSON.stringify(cached),
      'document.cookie': document.cookie,
    }
  })
}
