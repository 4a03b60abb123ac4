import { useState, type FormEvent } from 'react'
import { useAuth } from 'tokenkeeper/react'
import { DEMO_USERS, describeReason, loginErrorMessage } from './session-info.ts'
import { StatusBadge } from './status-badge.tsx'

export function LoginForm() {
  const { state, client } = useAuth()
  const [username, setUsername] = useState('demo')
  const [password, setPassword] = useState('demo1234')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      await client.login({ username, password })
    } catch (failure) {
      setError(loginErrorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  const reason = describeReason(state)
  return (
    <section className="card">
      <div className="card-head">
        <h2>Sign in</h2>
        <StatusBadge state={state} />
      </div>
      {reason && (
        <p className="muted small" data-testid="reason">
          {reason}
        </p>
      )}
      <form className="form" onSubmit={submit}>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        Demo users:{' '}
        {DEMO_USERS.map((user, index) => (
          <span key={user.username}>
            {index > 0 && ' or '}
            <code>{user.username}</code> / <code>{user.password}</code>
          </span>
        ))}
      </p>
    </section>
  )
}
