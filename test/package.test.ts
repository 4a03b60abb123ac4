// @vitest-environment node
// The package as users get it: what each built entry pulls in, and that
// importing an entry does nothing until it is called (SSR, Node).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { build } from 'vite'

let outDir: string
const read = (entry: string) => readFileSync(join(outDir, `${entry}.js`), 'utf8')
const importsOf = (code: string) => [...code.matchAll(/^import .* from "([^"]+)"/gm)].map((match) => match[1]!)
// The adapters share one small chunk of adapter state; it must not carry the core runtime.
const sharedChunks = (code: string) => importsOf(code).filter((path) => path.startsWith('./'))
const packages = (code: string) => importsOf(code).filter((path) => !path.startsWith('./'))

beforeAll(async () => {
  // Inside node_modules, so that a Node process importing the build resolves its peers.
  outDir = resolve(mkdtempSync(join('node_modules', '.tokenkeeper-dist-')))
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir, sourcemap: false } })
}, 60_000)
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('built entry points', () => {
  it('core imports jwt-decode and nothing of ky, React or Vue (nor does the chunk it shares with the adapters)', () => {
    const code = read('index')
    expect(packages(code)).toEqual(['jwt-decode'])
    for (const chunk of [code, ...sharedChunks(code).map((path) => read(path.slice(2, -3)))]) {
      expect(chunk).not.toMatch(/from "(ky|react|vue)/)
    }
  })

  it('react imports React without bundling it, and neither Vue nor the core runtime', () => {
    const code = read('react')
    expect(code.startsWith('"use client"')).toBe(true)
    expect(packages(code)).toEqual(['react'])
    for (const chunk of [code, ...sharedChunks(code).map((path) => read(path.slice(2, -3)))]) {
      expect(chunk).not.toMatch(/vue|jwt-decode|createAuthClient|useSyncExternalStoreWithSelector/)
    }
  })

  it('vue imports Vue only, and no core runtime', () => {
    const code = read('vue')
    expect(packages(code)).toEqual(['vue'])
    for (const chunk of [code, ...sharedChunks(code).map((path) => read(path.slice(2, -3)))]) {
      expect(chunk).not.toMatch(/"react|jwt-decode|createAuthClient/)
    }
  })

  it('ky imports ky only', () => {
    expect(importsOf(read('ky'))).toEqual(['ky'])
  })
})

describe('production builds', () => {
  it('drop every development warning from the core (0 B in production)', async () => {
    const { build: bundle } = await import('rolldown')
    const { output } = await bundle({
      input: join(outDir, 'index.js'),
      write: false,
      transform: { define: { 'process.env.NODE_ENV': '"production"' } },
      output: { minify: true },
      logLevel: 'silent',
    })
    const code = output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('')
    expect(code).not.toMatch(/console\.|CORS|SameSite/)
    expect(read('index')).toMatch(/console\.warn/) // the development build keeps them
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

  it('creates a client in Node, with or without baseUrl, and restore() resolves unknown without network', async () => {
    const { createAuthClient } = await import('../src/index.ts')
    const fetch = vi.fn(async () => new Response(null, { status: 401 }))
    for (const options of [{ fetch }, { baseUrl: 'https://app.test', fetch }]) {
      const auth = createAuthClient(options)
      await expect(auth.restore()).resolves.toEqual({ status: 'unknown' })
      auth.destroy()
    }
    expect(fetch).not.toHaveBeenCalled()
  })

  it('lets a Node script that imports every built entry and creates clients exit by itself', () => {
    const script = `
      const { createAuthClient } = await import(${JSON.stringify(join(outDir, 'index.js'))})
      for (const entry of ['ky', 'react', 'vue']) await import(${JSON.stringify(outDir)} + '/' + entry + '.js')
      const auth = createAuthClient({ baseUrl: 'https://app.test' })
      createAuthClient()
      console.log(JSON.stringify(await auth.restore()))
    `
    const started = performance.now()
    // A generous hang guard: a BroadcastChannel or timer left open would keep it alive until killed.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    })
    const elapsed = performance.now() - started
    console.info(`Node script with every entry exited in ${Math.round(elapsed)} ms`)
    expect(run.signal).toBeNull()
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe('{"status":"unknown"}')
  })
})
