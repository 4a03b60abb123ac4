import { useState, type FormEvent } from 'react'
import { Navigate, useLocation } from 'react-router'
import { isAuthError } from 'tokenkeeper'
import { useAuth } from 'tokenkeeper/react'

export function LoginPage() {
  const { isLoading, isAuthenticated, client } = useAuth()
  const location = useLocation()
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const from = fromOf(location.state)

  // Signed in (just now, or restored on load): go where the user was heading.
  if (isAuthenticated) return <Navigate to={from} replace />
  if (isLoading) return <p data-testid="loading">Checking your session…</p>

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setPending(true)
    setError(null)
    try {
      await client.login({ username: form.get('username'), password: form.get('password') })
    } catch (failure) {
      // A wrong password is an answer, not a crash: show it and let the user retry.
      setError(messageOf(failure))
    } finally {
      setPending(false)
    }
  }

  return (
    <form data-testid="login-form" onSubmit={(event) => void submit(event)}>
      <label>
        Username <input name="username" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={pending}>
        Sign in
      </button>
      {error && (
        <p role="alert" data-testid="login-error">
          {error}
        </p>
      )}
    </form>
  )
}

function messageOf(failure: unknown): string {
  if (!isAuthError(failure)) return 'Something went wrong.'
  switch (failure.code) {
    case 'invalid_credentials':
      return 'Wrong username or password.'
    case 'rate_limited':
      return `Too many attempts: try again in ${failure.retryAfter ?? 60} s.`
    default:
      return 'The server could not be reached. Try again.'
  }
}

function fromOf(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from
  return typeof from === 'string' ? from : '/profile'
}
