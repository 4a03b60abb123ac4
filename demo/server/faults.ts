import { isRecord } from './http.ts'

/**
 * Injected failures, queued per endpoint: each call to that endpoint consumes the next one.
 * Most answer instead of the handler, as a broken proxy in front of the server would; the
 * `commit-then-*` ones let the handler commit (a refresh rotates) and then lose the answer
 * (`commit-then-drop`: the socket is destroyed) or hold it `ms` (`commit-then-hang`), which is
 * what a reload, a closed tab or a client timeout does to a real refresh.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'html' }
  | { kind: 'empty' }
  | { kind: 'commit-then-drop' }
  | { kind: 'commit-then-hang'; ms: number }

export type CommitFault = Extract<Fault, { kind: 'commit-then-drop' | 'commit-then-hang' }>

export const MAX_HANG_MS = 60_000

export function isCommitFault(fault: Fault): fault is CommitFault {
  return fault.kind === 'commit-then-drop' || fault.kind === 'commit-then-hang'
}

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
    case 'commit-then-hang':
      return Number.isInteger(value.ms) && (value.ms as number) >= 0 && (value.ms as number) <= MAX_HANG_MS
    case 'hang':
    case 'drop':
    case 'html':
    case 'empty':
    case 'commit-then-drop':
      return true
    default:
      return false
  }
}
