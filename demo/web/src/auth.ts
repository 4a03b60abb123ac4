import { createAuthClient, type JwtPayload } from 'tokenkeeper'
import { createEventLog } from './event-log.ts'

/** What the demo server puts in its access tokens. */
export interface DemoClaims extends JwtPayload {
  name?: string
  email?: string
  scope?: string
}

let refreshCalls = 0

/** How many POSTs to /auth/refresh this tab has made (another tab's refreshes reach us as tokens). */
export const countRefreshCalls = (): number => refreshCalls

// The client's underlying fetch, wrapped only to count refresh calls for the page.
function countingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href)
  if (url.pathname === '/auth/refresh') refreshCalls++
  return fetch(input, init)
}

// One client per page; the demo server lives on this page's origin, so every default fits.
export const auth = createAuthClient<DemoClaims>({ fetch: countingFetch })

// Created before anything calls restore(), so the log sees the first state change.
export const eventLog = createEventLog(auth, countRefreshCalls)
