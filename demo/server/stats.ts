import type { RefreshFailure } from './refresh-store.ts'

/** How many records the server holds; every one goes once what it describes has expired. */
export interface StoreCounts {
  /** Live refresh tokens: one per family that is not revoked (spent tokens need no record). */
  refreshTokens: number
  /** Sessions (one family per login), revoked ones included until their last token expires. */
  families: number
  /** Access tokens remembered so that revoking their family can deny-list them. */
  accessTokens: number
  denyList: number
  /** Usernames and addresses with recent failed logins. */
  loginThrottles: number
}

/** Outcome counters, kept by test mode around the handlers; read through `GET /__test/stats` or the server handle (a live object). */
export interface Stats {
  /** Successful logins (sessions created). */
  logins: number
  /** Logins answered 401 invalid_credentials. */
  loginFailures: number
  /** Logins answered 429 (throttled, or the password-hashing queue was full). */
  loginsThrottled: number
  /** Every POST /auth/refresh that passed the CSRF check, whatever its outcome (injected faults included). */
  refreshes: number
  /** Refreshes that granted a token (rotated or replayed), even if an injected fault then lost the answer. */
  refreshOk: number
  /** Of refreshOk: the spent parent presented again within the grace, answered with the same child. */
  refreshReplays: number
  /** Refresh calls not answered with a new token: 401s and injected faults answered instead. */
  refreshFailures: number
  /** The 401s of refresh, by reason. */
  refreshFailuresByReason: Record<RefreshFailure, number>
  /** Spent refresh tokens presented after the grace or after their child was used (each revoked a family). */
  reuseDetections: number
  /** Every request to /api/*. */
  apiCalls: number
  /** /api/* requests rejected with 401. */
  api401s: number
  /** Live record counts (computed when read). */
  readonly store: StoreCounts
}

type Counters = Omit<Stats, 'store'>

function zeroCounters(): Counters {
  return {
    logins: 0,
    loginFailures: 0,
    loginsThrottled: 0,
    refreshes: 0,
    refreshOk: 0,
    refreshReplays: 0,
    refreshFailures: 0,
    refreshFailuresByReason: { missing: 0, expired: 0, revoked: 0, reused: 0, session_limit: 0 },
    reuseDetections: 0,
    apiCalls: 0,
    api401s: 0,
  }
}

export function createStats(storeCounts: () => StoreCounts): Stats {
  const stats = zeroCounters() as Stats
  return Object.defineProperty(stats, 'store', { get: storeCounts, enumerable: true })
}

/** Zeroes the counters in place, so references held by tests stay live. */
export function resetStats(stats: Stats): void {
  Object.assign(stats, zeroCounters())
}
