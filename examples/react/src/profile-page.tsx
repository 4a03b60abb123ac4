import { useEffect, useState } from 'react'
import { useAuth } from 'tokenkeeper/react'

interface Me {
  email: string
  scope: string
}

/** Rendered inside <RequireAuth>: the session exists, so claims are there. */
export function ProfilePage() {
  const { claims, client } = useAuth()
  const [me, setMe] = useState<Me | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    // auth.fetch adds the Bearer header, refreshes first when the token is about to expire,
    // and retries a 401 once. It rejects only where fetch would (network, abort).
    client
      .fetch('/api/me', { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`GET /api/me answered ${response.status}`)
        setMe((await response.json()) as Me)
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(String(failure))
      })
    return () => controller.abort()
  }, [client])

  return (
    <section>
      <h1 data-testid="profile-name">{claims?.name}</h1>
      {me && <p data-testid="profile-email">{me.email}</p>}
      {error && <p role="alert">{error}</p>}
    </section>
  )
}
