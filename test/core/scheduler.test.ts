import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createScheduler } from '../../src/core/scheduler.ts'

const MAX_DELAY = 2 ** 31 - 1
const DAY = 86_400_000
const WINDOW_EVENTS = ['online', 'focus', 'pageshow'] as const

// The injected clock follows the fake clock plus `slept`: moving `slept` is a
// laptop waking from sleep — time passed, but no timer ran.
let slept = 0
const now = () => Date.now() + slept

const LIFETIME = 60 * DAY

function setup(random = () => 0) {
  const onDue = vi.fn()
  const scheduler = createScheduler({ now, random }, onDue)
  return { onDue, scheduler }
}

/** Plans a refresh at `at` exactly (no jitter with random = 0). */
const plan = (scheduler: ReturnType<typeof setup>['scheduler'], at: number) => scheduler.plan(at, LIFETIME)

beforeEach(() => {
  vi.useFakeTimers()
  slept = 0
})

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('createScheduler', () => {
  it('does not fire before the due time', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 5_000)
    vi.advanceTimersByTime(4_999)
    expect(onDue).not.toHaveBeenCalled()
  })

  it('fires onDue once at the due time', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 5_000)
    vi.advanceTimersByTime(5_000)
    vi.advanceTimersByTime(60_000)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('never plans a refresh sooner than 1 s from now, so a tiny lifetime cannot loop (oidc-client-ts#996)', () => {
    const { onDue, scheduler } = setup()
    expect(plan(scheduler, now() - 1_000)).toBe(now() + 1_000)
    vi.advanceTimersByTime(999)
    expect(onDue).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('refreshes a 1 s token at most once a second (oidc-client-ts#996)', () => {
    const { onDue, scheduler } = setup()
    onDue.mockImplementation(() => scheduler.plan(now() + 500, 1_000))
    scheduler.plan(now() + 500, 1_000)
    vi.advanceTimersByTime(10_000)
    expect(onDue).toHaveBeenCalledTimes(10)
  })

  it('jitters earlier by up to 5% of the lifetime, at most 5 s, with the injected random source', () => {
    expect(setup(() => 0.5).scheduler.plan(now() + 60_000, 20_000)).toBe(now() + 60_000 - 500)
    expect(setup(() => 0.5).scheduler.plan(now() + 60_000, LIFETIME)).toBe(now() + 60_000 - 2_500)
  })

  it('returns when it will run', () => {
    const { scheduler } = setup()
    expect(plan(scheduler, now() + 42_000)).toBe(now() + 42_000)
  })

  it('replaces the due time when scheduled again', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 1_000)
    plan(scheduler, now() + 10_000)
    vi.advanceTimersByTime(9_999)
    expect(onDue).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(1)
  })

  it('does not fire at once for a due time 30 days away (keycloak-js#107)', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 30 * DAY)
    vi.advanceTimersByTime(1)
    expect(onDue).not.toHaveBeenCalled()
  })

  it('keeps one timer, re-armed every 2^31-1 ms, for a due time 30 days away', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 30 * DAY)
    for (let elapsed = 0; elapsed + MAX_DELAY < 30 * DAY; elapsed += MAX_DELAY) {
      expect(vi.getTimerCount()).toBe(1)
      vi.advanceTimersByTime(MAX_DELAY)
      expect(onDue).not.toHaveBeenCalled()
    }
    expect(vi.getTimerCount()).toBe(1)
  })

  it('fires a due time 30 days away exactly then', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 30 * DAY)
    vi.advanceTimersByTime(30 * DAY - 1)
    expect(onDue).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('fires on visibilitychange after a sleep past the due time', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 60_000)
    slept = 120_000
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it.each(WINDOW_EVENTS)('fires on window %s after a sleep past the due time', (type) => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 60_000)
    slept = 120_000
    window.dispatchEvent(new Event(type))
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('does not fire on a wake event before the due time', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 60_000)
    slept = 30_000
    window.dispatchEvent(new Event('focus'))
    expect(onDue).not.toHaveBeenCalled()
  })

  it('re-arms its timer for the remaining time on a wake event before the due time', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 60_000)
    slept = 30_000
    window.dispatchEvent(new Event('online'))
    vi.advanceTimersByTime(30_000)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('fires once after a sleep, however many wake events follow', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 60_000)
    slept = 120_000
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new Event('focus'))
    vi.advanceTimersByTime(60_000)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('never fires once cancelled', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 1_000)
    scheduler.cancel()
    slept = 120_000
    window.dispatchEvent(new Event('focus'))
    vi.advanceTimersByTime(60_000)
    expect(onDue).not.toHaveBeenCalled()
  })

  it('leaves no timer once cancelled', () => {
    const { scheduler } = setup()
    plan(scheduler, now() + 30 * DAY)
    scheduler.cancel()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('removes every wake listener it added once cancelled', () => {
    const spies = [window, document].flatMap((target) => [
      vi.spyOn(target, 'addEventListener'),
      vi.spyOn(target, 'removeEventListener'),
    ])
    const { scheduler } = setup()
    plan(scheduler, now() + 1_000)
    plan(scheduler, now() + 2_000)
    scheduler.cancel()
    const [windowAdd, windowRemove, documentAdd, documentRemove] = spies.map((spy) =>
      countByType(spy.mock.calls as unknown as [string, unknown][]),
    )
    expect(windowAdd).toEqual({ online: 1, focus: 1, pageshow: 1 })
    expect(windowRemove).toEqual(windowAdd)
    expect(documentAdd).toEqual({ visibilitychange: 1 })
    expect(documentRemove).toEqual(documentAdd)
  })

  it('leaves no timer and no listener after it fired', () => {
    const remove = vi.spyOn(window, 'removeEventListener')
    const { scheduler } = setup()
    plan(scheduler, now() + 1_000)
    vi.advanceTimersByTime(1_000)
    expect(vi.getTimerCount()).toBe(0)
    expect(countByType(remove.mock.calls as unknown as [string, unknown][])).toEqual({
      online: 1,
      focus: 1,
      pageshow: 1,
    })
  })
})

describe('retries after a failure', () => {
  it('runs after the delay', () => {
    const { onDue, scheduler } = setup()
    scheduler.retry(4_000)
    vi.advanceTimersByTime(3_999)
    expect(onDue).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it.each(WINDOW_EVENTS)('runs at once on window %s, without waiting for the delay', (type) => {
    const { onDue, scheduler } = setup()
    scheduler.retry(30_000)
    window.dispatchEvent(new Event(type))
    expect(onDue).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(30_000)
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('runs at once when the page becomes visible, not when it is hidden', () => {
    const { onDue, scheduler } = setup()
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true)
    scheduler.retry(30_000)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onDue).not.toHaveBeenCalled()
    hidden.mockReturnValue(false)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onDue).toHaveBeenCalledTimes(1)
  })

  it('does not run a planned refresh early on a wake event', () => {
    const { onDue, scheduler } = setup()
    plan(scheduler, now() + 30_000)
    window.dispatchEvent(new Event('online'))
    expect(onDue).not.toHaveBeenCalled()
  })
})

function countByType(calls: [string, unknown][]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [type] of calls) counts[type] = (counts[type] ?? 0) + 1
  return counts
}
