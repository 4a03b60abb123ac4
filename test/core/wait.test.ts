import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../src/core/errors.ts'
import { MAX_DELAY, wait } from '../../src/core/wait.ts'
import { deferred } from '../helpers/fake-auth-server.ts'

function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  )
  return state
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('wait', () => {
  it('settles like the promise when it comes first, leaving no timer or listener', async () => {
    const signal = new AbortController().signal
    const remove = vi.spyOn(signal, 'removeEventListener')
    const gate = deferred<string>()
    const result = track(wait(gate.promise, 1_000, signal, 'late'))
    gate.resolve('done')
    await vi.advanceTimersByTimeAsync(0)
    expect(result.value).toBe('done')
    expect(vi.getTimerCount()).toBe(0)
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function))
  })

  it('resolves the fallback after ms', async () => {
    const result = track(wait(new Promise(() => {}), 1_000, undefined, 'fallback'))
    await vi.advanceTimersByTimeAsync(999)
    expect(result.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(result.value).toBe('fallback')
  })

  it('rejects when the fallback is an AuthError', async () => {
    const result = track(wait(new Promise(() => {}), 10, undefined, new AuthError('timeout')))
    await vi.advanceTimersByTimeAsync(10)
    expect(result.error).toMatchObject({ code: 'timeout' })
  })

  it("rejects at once with the signal's reason, before or during the wait", async () => {
    const before = new AbortController()
    before.abort(new AuthError('destroyed'))
    expect(track(wait(new Promise(() => {}), 1_000, before.signal)).settled).toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    const during = new AbortController()
    const result = track(wait(new Promise(() => {}), 1_000, during.signal))
    during.abort(new AuthError('destroyed'))
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toMatchObject({ code: 'destroyed' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clamps a delay beyond setTimeout range instead of firing at once (keycloak-js#107)', async () => {
    const result = track(wait(undefined, 30 * 86_400_000))
    await vi.advanceTimersByTimeAsync(1)
    expect(result.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(MAX_DELAY)
    expect(result.settled).toBe(true)
  })

  it('waits for nothing but the signal without ms', async () => {
    const controller = new AbortController()
    const result = track(wait(undefined, undefined, controller.signal))
    await vi.advanceTimersByTimeAsync(10 * 86_400_000)
    expect(result.settled).toBe(false)
    controller.abort('bye')
    await vi.advanceTimersByTimeAsync(0)
    expect(result.error).toBe('bye')
  })
})
