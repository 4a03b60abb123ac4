import type { AuthClient, AuthState } from 'tokenkeeper'
import type { DemoClaims } from './auth.ts'
import { describeState, secondsUntil } from './session-info.ts'

export type LogKind = 'state' | 'refresh' | 'logout' | 'session_expired' | 'error' | 'action'

export interface LogEntry {
  id: number
  at: number
  kind: LogKind
  text: string
}

export interface EventLog {
  add(kind: LogKind, text: string): void
  /** Newest first; a new array after every change. */
  getEntries(): readonly LogEntry[]
  subscribe(listener: () => void): () => void
}

const LIMIT = 60

/** The client's state changes and events as lines of text. Never the token itself. */
export function createEventLog(client: AuthClient<DemoClaims>, refreshCalls: () => number): EventLog {
  let entries: readonly LogEntry[] = []
  let nextId = 1
  const listeners = new Set<() => void>()
  let lastStatus = ''
  // Refresh calls already accounted for: a 'refresh' event after a new call is our own
  // refresh, otherwise the token came from another tab (its login or its refresh).
  let seenCalls = refreshCalls()

  function add(kind: LogKind, text: string) {
    entries = [{ id: nextId++, at: Date.now(), kind, text }, ...entries].slice(0, LIMIT)
    for (const listener of listeners) listener()
  }

  // Every refresh changes the state (a new expiry); log only the changes of status or user.
  client.subscribe((state: AuthState<DemoClaims>) => {
    const key =
      state.status === 'authenticated'
        ? `${state.status}:${state.claims.sub}`
        : `${state.status}:${'reason' in state ? state.reason : ''}`
    if (state.status === 'unauthenticated') seenCalls = refreshCalls()
    if (key === lastStatus) return
    lastStatus = key
    add('state', describeState(state))
  })
  client.on('refresh', (state) => {
    const calls = refreshCalls()
    const source = calls > seenCalls ? 'from /auth/refresh' : 'shared by another tab'
    seenCalls = calls
    add('refresh', `new access token ${source}, valid ${secondsUntil(state.expiresAt, Date.now())} s`)
  })
  client.on('logout', () => add('logout', 'logged out'))
  client.on('session_expired', (error) =>
    add('session_expired', `the server refused the refresh${error.status ? ` (HTTP ${error.status})` : ''}`),
  )
  client.on('error', (error) => add('error', `${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`))

  return {
    add,
    getEntries: () => entries,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}
