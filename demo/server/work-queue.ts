/**
 * At most `concurrency` tasks at once and at most `maxWaiting` queued; past that,
 * `run` refuses at once (undefined) instead of queueing without bound. Password hashing
 * runs through it: scrypt occupies a libuv pool thread, the same pool that signs and
 * verifies tokens, so an unbounded flood of logins starved refresh (issue 9).
 */
export interface WorkQueue {
  /** The task's result, or `{ refused: true }` when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<{ refused: false; value: T } | { refused: true }>
}

export function createWorkQueue(concurrency: number, maxWaiting: number): WorkQueue {
  let running = 0
  const waiting: (() => void)[] = []

  return {
    async run(task) {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) return { refused: true }
        await new Promise<void>((resolve) => waiting.push(resolve))
      } else {
        running++
      }
      try {
        return { refused: false, value: await task() }
      } finally {
        // Hand the slot straight to the next task, or free it.
        const next = waiting.shift()
        if (next) next()
        else running--
      }
    },
  }
}
