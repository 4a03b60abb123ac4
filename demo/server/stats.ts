/** Counters read by tests through `GET /__test/stats` or the server handle (a live object). */
export interface Stats {
  /** Successful logins (sessions created). */
  logins: number
  /** Every POST /auth/refresh that passed the CSRF check, whatever its outcome (injected faults included). */
  refreshes: number
  /** Refresh calls not answered with a new token: 401s and injected faults. */
  refreshFailures: number
  /** Already-rotated refresh tokens presented again (each revoked a family). */
  reuseDetections: number
  /** Every request to /api/*. */
  apiCalls: number
  /** /api/* requests rejected with 401. */
  api401s: number
}

export function createStats(): Stats {
  return { logins: 0, refreshes: 0, refreshFailures: 0, reuseDetections: 0, apiCalls: 0, api401s: 0 }
}

/** Zeroes the counters in place, so references held by tests stay live. */
export function resetStats(stats: Stats): void {
  Object.assign(stats, createStats())
}
