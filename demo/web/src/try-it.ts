// The "Try it" card's actions, shared by the React and the Vue page.
import type { AuthClient, AuthenticatedState } from 'tokenkeeper'
import type { EventLog } from './event-log.ts'
import { lifetimeMs } from './session-info.ts'

export const BURST = 50

/** Set by demo/start.ts: the auth server has its /__test/* routes (its clock, its counters). */
export const TEST_MODE: boolean = __DEMO_TEST_MODE__

export type Result =
  | { kind: 'me'; status: number; body: string }
  | { kind: 'burst'; ok: number; total: number; refreshes: number; ms: number; server?: ServerCounts }
  | { kind: 'expired'; seconds: number }
  | { kind: 'failed'; text: string }

/** What the auth server counted during a burst (test mode only). */
export interface ServerCounts {
  api401s: number
  refreshes: number
}

export async function callMe(client: AuthClient, log: EventLog): Promise<Result> {
  const response = await client.fetch('/api/me')
  const body = await response.text()
  log.add('action', `GET /api/me → ${response.status}`)
  return { kind: 'me', status: response.status, body: prettyJson(body) }
}

/** BURST requests at once through client.fetch: after an expiry they share one refresh. */
export async function fireBurst(client: AuthClient, log: EventLog): Promise<Result> {
  const refreshesBefore = log.getRefreshCount()
  const serverBefore = TEST_MODE ? await serverCounts() : undefined
  const started = performance.now()
  const answers = await Promise.allSettled(Array.from({ length: BURST }, () => client.fetch('/api/items')))
  const ms = Math.round(performance.now() - started)
  const ok = answers.filter((answer) => answer.status === 'fulfilled' && answer.value.ok).length
  const refreshes = log.getRefreshCount() - refreshesBefore
  const serverAfter = serverBefore && (await serverCounts())
  const server: ServerCounts | undefined = serverBefore &&
    serverAfter && {
      api401s: serverAfter.api401s - serverBefore.api401s,
      refreshes: serverAfter.refreshes - serverBefore.refreshes,
    }
  const rejected = server ? `, ${server.api401s} answered 401 first` : ''
  log.add('action', `${BURST} concurrent requests: ${ok} ok${rejected}, ${plural(refreshes, 'refresh')}`)
  return { kind: 'burst', ok, total: BURST, refreshes, ms, ...(server && { server }) }
}

/**
 * Moves the auth server's clock past the token's lifetime (test mode only): the API
 * now rejects the token this tab still holds, as after a laptop's sleep or a server-side expiry.
 */
export async function expireToken(state: AuthenticatedState, log: EventLog): Promise<Result> {
  const seconds = Math.ceil(lifetimeMs(state) / 1000) + 1
  const response = await fetch('/__test/clock', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceMs: seconds * 1000 }),
  })
  if (!response.ok) return { kind: 'failed', text: `POST /__test/clock → HTTP ${response.status}` }
  log.add('action', `server clock +${seconds} s: the API now rejects this token`)
  return { kind: 'expired', seconds }
}

async function serverCounts(): Promise<ServerCounts | undefined> {
  const response = await fetch('/__test/stats')
  if (!response.ok) return undefined
  const { api401s, refreshes } = (await response.json()) as ServerCounts
  return { api401s, refreshes }
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : word.endsWith('h') ? 'es' : 's'}`
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
