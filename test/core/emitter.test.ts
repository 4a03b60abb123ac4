import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmitter } from '../../src/core/emitter.ts'

type Events = { ping: number; pong: string }

afterEach(() => vi.useRealTimers())

describe('createEmitter', () => {
  it('calls the listeners of an event, in order, and only those', () => {
    const emitter = createEmitter<Events>()
    const seen: string[] = []
    emitter.on('ping', (n) => seen.push(`a${n}`))
    emitter.on('pong', (s) => seen.push(`pong ${s}`))
    emitter.on('ping', (n) => seen.push(`b${n}`))
    emitter.emit('ping', 1)
    expect(seen).toEqual(['a1', 'b1'])
  })

  it('keeps calling the other listeners when one throws, and reports the error as uncaught afterwards', async () => {
    const emitter = createEmitter<Events>()
    const reported: unknown[] = []
    const seen: number[] = []
    const failure = new Error('app bug')
    emitter.on('ping', () => {
      throw failure
    })
    emitter.on('ping', (n) => seen.push(n))
    const microtask = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
      try {
        task()
      } catch (error) {
        reported.push(error)
      }
    })
    expect(() => emitter.emit('ping', 7)).not.toThrow()
    microtask.mockRestore()
    expect(seen).toEqual([7])
    expect(reported).toEqual([failure])
  })

  it('treats the same function subscribed twice as two subscriptions', () => {
    const emitter = createEmitter<Events>()
    const listener = vi.fn()
    const first = emitter.on('ping', listener)
    emitter.on('ping', listener)
    first()
    emitter.emit('ping', 1)
    expect(listener).toHaveBeenCalledOnce()
  })

  it('lets a listener unsubscribe another during an emit without skipping anyone of that emit', () => {
    const emitter = createEmitter<Events>()
    const seen: string[] = []
    let offB = () => {}
    emitter.on('ping', () => {
      seen.push('a')
      offB()
    })
    offB = emitter.on('ping', () => seen.push('b'))
    emitter.emit('ping', 1)
    emitter.emit('ping', 2)
    expect(seen).toEqual(['a', 'b', 'a'])
  })

  it('forgets every listener on clear', () => {
    const emitter = createEmitter<Events>()
    const listener = vi.fn()
    emitter.on('ping', listener)
    emitter.clear()
    emitter.emit('ping', 1)
    expect(listener).not.toHaveBeenCalled()
  })
})
