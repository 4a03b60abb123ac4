import { useState } from 'react'
import { useAuth } from 'tokenkeeper/react'
import { countRefreshCalls, eventLog, type DemoClaims } from './auth.ts'

const BURST = 50

type Result =
  | { kind: 'me'; status: number; body: string }
  | { kind: 'burst'; ok: number; total: number; refreshes: number; ms: number }
  | { kind: 'failed'; text: string }

export function ActionsCard() {
  const { client } = useAuth<DemoClaims>()
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

  const callMe = () =>
    run(async () => {
      const response = await client.fetch('/api/me')
      const body = await response.text()
      eventLog.add('action', `GET /api/me → ${response.status}`)
      return { kind: 'me', status: response.status, body: prettyJson(body) }
    })

  const fireBurst = () =>
    run(async () => {
      const before = countRefreshCalls()
      const started = performance.now()
      const answers = await Promise.allSettled(Array.from({ length: BURST }, () => client.fetch('/api/items')))
      const ok = answers.filter((answer) => answer.status === 'fulfilled' && answer.value.ok).length
      const refreshes = countRefreshCalls() - before
      eventLog.add(
        'action',
        `${BURST} concurrent requests: ${ok} ok, ${refreshes} refresh call${refreshes === 1 ? '' : 's'}`,
      )
      return { kind: 'burst', ok, total: BURST, refreshes, ms: Math.round(performance.now() - started) }
    })

  return (
    <section className="card">
      <div className="card-head">
        <h2>Try it</h2>
      </div>
      <div className="actions">
        <button className="button" onClick={callMe} disabled={busy}>
          Call /api/me
        </button>
        <button className="button" onClick={fireBurst} disabled={busy}>
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
      </p>
    )
  }
  if (result.kind === 'failed') return <p className="error">{result.text}</p>
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
      <span className="pill">
        {result.refreshes} refresh call{result.refreshes === 1 ? '' : 's'}
      </span>
      <span className="muted small">in {result.ms} ms</span>
    </div>
  )
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
