/** The server's notion of "now" (epoch ms), adjustable so tests can jump ahead without sleeping. */
export interface AdjustableClock {
  now(): number
  /** Moves the clock by `ms` (may be negative) on top of the base clock. */
  advance(ms: number): void
}

export function createClock(base: () => number = Date.now): AdjustableClock {
  let offset = 0
  return {
    now: () => base() + offset,
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('advance(ms) needs a finite number')
      offset += ms
    },
  }
}
