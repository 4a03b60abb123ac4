import { describe, expect, it, vi } from 'vitest'
import { createSingleFlight } from '../../src/core/single-flight.ts'
import { deferred } from '../helpers/fake-auth-server.ts'

describe('createSingleFlight', () => {
  it('gives concurrent callers one shared promise', () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const first = flight(() => gate.promise)
    const second = flight(() => gate.promise)
    expect(second).toBe(first)
  })

  it('calls the task once for concurrent callers', async () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const task = vi.fn(() => gate.promise)
    const results = Promise.all([flight(task), flight(task), flight(task)])
    gate.resolve('token')
    expect(await results).toEqual(['token', 'token', 'token'])
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('ignores the task of a caller that joins a run in flight', async () => {
    const flight = createSingleFlight<string>()
    const late = vi.fn(async () => 'late')
    const first = flight(async () => 'first')
    expect(await flight(late)).toBe('first')
    await first
    expect(late).not.toHaveBeenCalled()
  })

  it('calls the task again for a run after the previous one settled', async () => {
    const flight = createSingleFlight<number>()
    let calls = 0
    const task = vi.fn(async () => ++calls)
    expect(await flight(task)).toBe(1)
    expect(await flight(task)).toBe(2)
    expect(task).toHaveBeenCalledTimes(2)
  })

  it('shares a rejection with every concurrent caller', async () => {
    const flight = createSingleFlight<string>()
    const gate = deferred<string>()
    const failure = new Error('refresh failed')
    const results = Promise.allSettled([flight(() => gate.promise), flight(() => gate.promise)])
    gate.reject(failure)
    expect(await results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ])
  })

  it('clears a rejected run so the next run calls the task again', async () => {
    const flight = createSingleFlight<string>()
    await expect(flight(async () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    const task = vi.fn(async () => 'ok')
    expect(await flight(task)).toBe('ok')
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('turns a task that throws synchronously into a rejected promise', async () => {
    const flight = createSingleFlight<string>()
    const failure = new Error('sync')
    let run: Promise<string> | undefined
    expect(() => {
      run = flight(() => {
        throw failure
      })
    }).not.toThrow()
    await expect(run).rejects.toBe(failure)
  })

  it('clears a run whose task threw synchronously', async () => {
    const flight = createSingleFlight<string>()
    await flight(() => {
      throw new Error('sync')
    }).catch(() => {})
    expect(await flight(async () => 'ok')).toBe('ok')
  })
})
