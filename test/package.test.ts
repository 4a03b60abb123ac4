// @vitest-environment node
// The package as users get it: what each built entry pulls in, and that
// importing an entry does nothing until it is called (SSR, Node).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { build } from 'vite'

let outDir: string
const read = (entry: string) => readFileSync(join(outDir, `${entry}.js`), 'utf8')
const importsOf = (code: string) => [...code.matchAll(/^import .* from "([^"]+)"/gm)].map((match) => match[1])

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'tokenkeeper-dist-'))
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir, sourcemap: false } })
}, 60_000)
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('built entry points', () => {
  it('core imports jwt-decode and nothing of ky, React or Vue', () => {
    const code = read('index')
    expect(importsOf(code)).toEqual(['jwt-decode'])
    expect(code).not.toMatch(/from "(ky|react|vue)/)
  })

  it('react imports React without bundling it, and neither Vue nor the core runtime', () => {
    const code = read('react')
    expect(code.startsWith('"use client"')).toBe(true)
    expect(importsOf(code)).toEqual(['react'])
    expect(code).not.toMatch(/vue|jwt-decode|createAuthClient|useSyncExternalStoreWithSelector/)
  })

  it('vue imports Vue only', () => {
    expect(importsOf(read('vue'))).toEqual(['vue'])
  })

  it('ky imports ky only', () => {
    expect(importsOf(read('ky'))).toEqual(['ky'])
  })
})

describe('importing', () => {
  it('touches no timer, network or DOM in Node', async () => {
    vi.useFakeTimers()
    const fetch = vi.spyOn(globalThis, 'fetch')
    await import('../src/index.ts')
    await import('../src/ky.ts')
    await import('../src/react.ts')
    await import('../src/vue.ts')
    expect(vi.getTimerCount()).toBe(0)
    expect(fetch).not.toHaveBeenCalled()
    expect('window' in globalThis).toBe(false)
    vi.useRealTimers()
  })

  it('creates a client in Node when given a baseUrl', async () => {
    const { createAuthClient } = await import('../src/index.ts')
    const auth = createAuthClient({
      baseUrl: 'https://app.test',
      fetch: async () => new Response(null, { status: 401 }),
    })
    await expect(auth.restore()).resolves.toEqual({ status: 'unauthenticated', reason: 'no_session' })
    auth.destroy()
  })
})
