import { useSyncExternalStore } from 'react'
import type { AuthState } from 'tokenkeeper'
import { useAuth } from 'tokenkeeper/react'
import { eventLog } from './auth.ts'
import { lifeLeft, secondsUntil } from './session-info.ts'
import { StatusBadge } from './status-badge.tsx'
import { useNow } from './use-now.ts'

function CardHead({ state }: { state: AuthState }) {
  return (
    <div className="card-head">
      <h2>Session</h2>
      <StatusBadge state={state} />
    </div>
  )
}

export function SessionCard() {
  const { state, client, error } = useAuth()
  const refreshes = useSyncExternalStore(eventLog.subscribe, eventLog.getRefreshCount)
  const now = useNow()
  if (state.status !== 'authenticated') {
    return (
      <section className="card">
        <CardHead state={state} />
        <p className="muted">Restoring the session from the refresh cookie…</p>
        {error && (
          <p className="error" role="alert">
            Could not reach the auth server ({error.code}); retrying.
          </p>
        )}
      </section>
    )
  }

  const { claims } = state
  return (
    <section className="card">
      <CardHead state={state} />
      <p className="user">
        <span className="avatar" aria-hidden="true">
          {(claims.name ?? '?').slice(0, 1)}
        </span>
        <span>
          <strong data-testid="user">{claims.name}</strong>
          <span className="muted small">{claims.email}</span>
        </span>
      </p>
      <dl className="stats">
        <div>
          <dt>Token expires in</dt>
          <dd data-testid="expires-in">{secondsUntil(state.expiresAt, now)} s</dd>
        </div>
        <div>
          <dt>Next refresh in</dt>
          <dd data-testid="refresh-in">{secondsUntil(state.refreshAt, now)} s</dd>
        </div>
        <div>
          <dt>Token refreshes</dt>
          <dd data-testid="refresh-count">{refreshes}</dd>
        </div>
      </dl>
      <div className="meter" aria-hidden="true">
        <div style={{ width: `${lifeLeft(state, now)}%` }} />
      </div>
      <details className="claims" open>
        <summary>Decoded claims</summary>
        <pre data-testid="claims">{JSON.stringify(claims, null, 2)}</pre>
      </details>
      <div className="actions spaced">
        <button className="button danger" onClick={() => void client.logout()}>
          Logout
        </button>
      </div>
    </section>
  )
}
