/**
 * Injected failures, queued per endpoint: each call to that endpoint consumes the
 * next one before any real work, as a broken proxy in front of the server would.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'html' }
  | { kind: 'empty' }

export type FaultTarget = 'refresh' | 'login' | 'logout' | 'api'
export type FaultPlan = Partial<Record<FaultTarget, Fault[]>>

const TARGETS: readonly FaultTarget[] = ['refresh', 'login', 'logout', 'api']

export interface FaultQueue {
  /** Queues faults for POST /auth/refresh (the common case). */
  push(...faults: Fault[]): void
  /** Replaces every queue with the plan (targets it omits become empty). */
  set(plan: FaultPlan): void
  take(target: FaultTarget): Fault | undefined
  pending(target?: FaultTarget): number
  clear(): void
}

export function createFaultQueue(): FaultQueue {
  const queues = new Map<FaultTarget, Fault[]>()
  const queueOf = (target: FaultTarget) => queues.get(target) ?? []

  return {
    push(...faults) {
      faults.forEach(assertFault)
      queues.set('refresh', [...queueOf('refresh'), ...faults])
    },
    set(plan) {
      Object.values(plan).flat().forEach(assertFault)
      queues.clear()
      for (const target of TARGETS) queues.set(target, [...(plan[target] ?? [])])
    },
    take: (target) => queueOf(target).shift(),
    pending: (target = 'refresh') => queueOf(target).length,
    clear: () => queues.clear(),
  }
}

/** Validates an untrusted plan (from POST /__test/faults); null when it is malformed. */
export function parseFaultPlan(input: unknown): FaultPlan | null {
  if (!isRecord(input)) return null
  const plan: FaultPlan = {}
  for (const [key, value] of Object.entries(input)) {
    if (!(TARGETS as readonly string[]).includes(key)) return null
    if (!Array.isArray(value) || !value.every(isFault)) return null
    plan[key as FaultTarget] = value
  }
  return plan
}

function assertFault(fault: unknown): void {
  if (!isFault(fault)) throw new TypeError(`invalid fault: ${JSON.stringify(fault)}`)
}

function isFault(value: unknown): value is Fault {
  if (!isRecord(value)) return false
  switch (value.kind) {
    case 'status':
      return (
        Number.isInteger(value.status) &&
        (value.status as number) >= 400 &&
        (value.status as number) <= 599 &&
        (value.retryAfter === undefined || (Number.isInteger(value.retryAfter) && (value.retryAfter as number) >= 0))
      )
    case 'hang':
    case 'drop':
    case 'html':
    case 'empty':
      return true
    default:
      return false
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
