// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createWorkQueue } from '../../demo/server/work-queue.ts'

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('the password-hashing work queue', () => {
  it('runs at most `concurrency` tasks, queues up to `maxWaiting`, and refuses the rest at once', async () => {
    const queue = createWorkQueue(2, 3)
    const gates = Array.from({ length: 6 }, deferred)
    const started: number[] = []
    const runs = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i)
        await gate.promise
        return i
      }),
    )
    await expect(runs[5]).resolves.toEqual({ refused: true })
    expect(started).toEqual([0, 1])
    gates[0]!.resolve()
    await expect(runs[0]).resolves.toEqual({ refused: false, value: 0 })
    await Promise.resolve()
    expect(started).toEqual([0, 1, 2])
    for (const gate of gates) gate.resolve()
    expect(await Promise.all(runs.slice(1, 5))).toEqual([1, 2, 3, 4].map((value) => ({ refused: false, value })))
  })

  it('frees the slot when a task throws', async () => {
    const queue = createWorkQueue(1, 0)
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(queue.run(async () => 'next')).resolves.toEqual({ refused: false, value: 'next' })
  })
})
