// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createExpiringMap, startSweeper } from '../../demo/server/expiring-map.ts'

function setup() {
  let now = 0
  const expired: string[] = []
  const map = createExpiringMap<string, number>({ now: () => now, onExpire: (key) => expired.push(key) })
  return { map, expired, advance: (ms: number) => (now += ms) }
}

describe('the expiring map', () => {
  it('hides an entry once it expired, before any sweep', () => {
    const { map, advance } = setup()
    map.set('a', 1, 100)
    expect(map.get('a')).toBe(1)
    advance(100)
    expect(map.get('a')).toBeUndefined()
  })

  it('drops expired entries in expiry order, at most `limit` per sweep, never the live ones', () => {
    const { map, expired, advance } = setup()
    for (const [key, at] of [
      ['c', 300],
      ['a', 100],
      ['live', 10_000],
      ['b', 200],
    ] as const)
      map.set(key, 0, at)
    advance(500)
    expect(map.sweep(2)).toBe(2)
    expect(expired).toEqual(['a', 'b'])
    map.sweep(10)
    expect(expired).toEqual(['a', 'b', 'c'])
    expect(map.size).toBe(1)
  })

  it('keeps an entry whose life was extended, and drops it at the new time', () => {
    const { map, expired, advance } = setup()
    map.set('a', 1, 100)
    map.set('a', 2, 1000)
    advance(500)
    map.sweep(10)
    expect(map.get('a')).toBe(2)
    advance(500)
    map.sweep(10)
    expect(expired).toEqual(['a'])
  })

  it('drops a few due entries on every write, so steady traffic needs no sweeper', () => {
    const { map, advance } = setup()
    for (let i = 0; i < 100; i++) map.set(`old${i}`, i, 10)
    advance(10)
    for (let i = 0; i < 50; i++) map.set(`new${i}`, i, 1000)
    expect(map.size).toBe(50)
  })

  it("sweeps on an unref'd timer, in slices that yield to the event loop", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }) // slices follow on real setImmediate
    try {
      const { map, advance } = setup()
      for (let i = 0; i < 25; i++) map.set(`k${i}`, i, 10)
      advance(10)
      const slices: number[] = []
      const stop = startSweeper((limit) => (slices.push(map.size), map.sweep(limit)), 1000, 10)
      await vi.advanceTimersByTimeAsync(999)
      expect(slices).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      await vi.waitFor(() => expect(map.size).toBe(0))
      stop()
      expect(slices).toEqual([25, 15, 5])
    } finally {
      vi.useRealTimers()
    }
  })
})
