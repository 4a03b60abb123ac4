import { useState } from 'react'
import { useAuth } from 'tokenkeeper/react'
import { eventLog } from './auth.ts'
import { BURST, callMe, expireToken, fireBurst, plural, TEST_MODE, type Result } from './try-it.ts'

export function ActionsCard() {
  const { state, client } = useAuth()
  const [result, setResult] = useState<Result | null>(null)
  const [busy, setBusy] = useState(false)

  async function run(action: () => Promise<Result>) {
    setBusy(true)
    try {
      setResult(await action())
    } catch (error) {
      setResult({ kind: 'failed', text: String(error) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card">
      <div className="card-head">
        <h2>Try it</h2>
      </div>
      <div className="actions">
        <button className="button" onClick={() => run(() => callMe(client, eventLog))} disabled={busy}>
          Call /api/me
        </button>
      </div>
      <div className="actions">
        {TEST_MODE && (
          <button
            className="button"
            onClick={() => state.status === 'authenticated' && run(() => expireToken(state, eventLog))}
            disabled={busy || state.status !== 'authenticated'}
          >
            Expire the token now
          </button>
        )}
        <button className="button" onClick={() => run(() => fireBurst(client, eventLog))} disabled={busy}>
          Fire {BURST} concurrent requests
        </button>
      </div>
      <ResultView result={result} />
    </section>
  )
}

function ResultView({ result }: { result: Result | null }) {
  if (!result) {
    return (
      <p className="muted small">
        Requests go through <code>client.fetch</code>, which adds the Bearer header and refreshes when needed.
        {TEST_MODE && ' Expire the token, then fire: the 401s share one refresh.'}
      </p>
    )
  }
  if (result.kind === 'failed') return <p className="error">{result.text}</p>
  if (result.kind === 'expired') {
    return (
      <div className="result" data-testid="expire-result">
        <span className="pill pill-bad">token expired on the server</span>
        <span className="muted small">its clock moved {result.seconds} s on; this tab still holds the token</span>
      </div>
    )
  }
  if (result.kind === 'me') {
    return (
      <div className="result" data-testid="me-result" data-status={result.status}>
        <span className={`pill ${result.status === 200 ? 'pill-ok' : 'pill-bad'}`}>HTTP {result.status}</span>
        <pre>{result.body}</pre>
      </div>
    )
  }
  return (
    <div className="result" data-testid="burst-result" data-ok={result.ok} data-refreshes={result.refreshes}>
      <span className={`pill ${result.ok === result.total ? 'pill-ok' : 'pill-bad'}`}>
        {result.ok} / {result.total} succeeded
      </span>
      {result.server && <span className="pill">{result.server.api401s} × 401 first</span>}
      <span className="pill">{plural(result.refreshes, 'refresh')}</span>
      <span className="muted small">in {result.ms} ms</span>
    </div>
  )
}
