import type { AuthClient, AuthState } from 'tokenkeeper'
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
  /** How many new access tokens this tab got from a refresh: the SDK's 'refresh' events. */
  getRefreshCount(): number
  subscribe(listener: () => void): () => void
}

const LIMIT = 60

/** The client's state changes and events as lines of text. Never the token itself. */
export function createEventLog(client: AuthClient): EventLog {
  let entries: readonly LogEntry[] = []
  let nextId = 1
  let refreshes = 0
  const listeners = new Set<() => void>()
  let lastStatus = ''

  function add(kind: LogKind, text: string) {
    entries = [{ id: nextId++, at: Date.now(), kind, text }, ...entries].slice(0, LIMIT)
    for (const listener of listeners) listener()
  }

  // Every refresh changes the state (a new expiry); log only the changes of status or user.
  client.subscribe((state: AuthState) => {
    const key =
      state.status === 'authenticated'
        ? `${state.status}:${state.claims.sub}`
        : `${state.status}:${'reason' in state ? state.reason : ''}`
    if (key === lastStatus) return
    lastStatus = key
    add('state', describeState(state))
  })
  // A refresh of this tab or of another one (tabs share one refresh); a failed check is not one.
  client.on('refresh', (state) => {
    refreshes++
    add('refresh', `new access token, valid ${secondsUntil(state.expiresAt, Date.now())} s`)
  })
  client.on('logout', () => add('logout', 'logged out'))
  client.on('session_expired', (error) =>
    add('session_expired', `the server refused the refresh${error.reason ? ` (${error.reason})` : ''}`),
  )
  client.on('error', (error) => add('error', `${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`))

  return {
    add,
    getEntries: () => entries,
    getRefreshCount: () => refreshes,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}
