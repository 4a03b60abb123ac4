import { describe, expect, it, vi } from 'vitest'
import { createSingleFlight } from '../../src/core/single-flight.ts'
import { deferred } from '../helpers/fake-auth-server.ts'

describe('createSingleFlight', () => {
  it('gives concurrent callers one shared promise', () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const first = flight.run(() => gate.promise)
    const second = flight.run(() => gate.promise)
    expect(second).toBe(first)
  })

  it('calls the task once for concurrent callers', async () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const task = vi.fn(() => gate.promise)
    const results = Promise.all([flight.run(task), flight.run(task), flight.run(task)])
    gate.resolve('token')
    expect(await results).toEqual(['token', 'token', 'token'])
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('ignores the task of a caller that joins a run in flight', async () => {
    const flight = createSingleFlight<string>()
    const late = vi.fn(async () => 'late')
    const first = flight.run(async () => 'first')
    expect(await flight.run(late)).toBe('first')
    await first
    expect(late).not.toHaveBeenCalled()
  })

  it('exposes the run in flight as current, and clears it once settled', async () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const run = flight.run(() => gate.promise)
    expect(flight.current).toBe(run)
    gate.resolve('token')
    await run
    expect(flight.current).toBeUndefined()
  })

  it('calls the task again for a run after the previous one settled', async () => {
    const flight = createSingleFlight<number>()
    let calls = 0
    const task = vi.fn(async () => ++calls)
    expect(await flight.run(task)).toBe(1)
    expect(await flight.run(task)).toBe(2)
    expect(task).toHaveBeenCalledTimes(2)
  })

  it('shares a rejection with every concurrent caller', async () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const failure = new Error('refresh failed')
    const results = Promise.allSettled([flight.run(() => gate.promise), flight.run(() => gate.promise)])
    gate.reject(failure)
    expect(await results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ])
  })

  it('clears a rejected run so the next run calls the task again', async () => {
    const flight = createSingleFlight<string>()
    await expect(flight.run(async () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    const task = vi.fn(async () => 'ok')
    expect(await flight.run(task)).toBe('ok')
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('turns a task that throws synchronously into a rejected promise', async () => {
    const flight = createSingleFlight<string>()
    const failure = new Error('sync')
    let run: Promise<string> | undefined
    expect(() => {
      run = flight.run(() => {
        throw failure
      })
    }).not.toThrow()
    await expect(run).rejects.toBe(failure)
  })

  it('clears a run whose task threw synchronously', async () => {
    const flight = createSingleFlight<string>()
    await flight
      .run(() => {
        throw new Error('sync')
      })
      .catch(() => {})
    expect(flight.current).toBeUndefined()
    expect(await flight.run(async () => 'ok')).toBe('ok')
  })
})
