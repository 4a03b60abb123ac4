import { useSyncExternalStore } from 'react'
import { eventLog } from './auth.ts'
import { formatTime } from './session-info.ts'

export function EventLogCard() {
  const entries = useSyncExternalStore(eventLog.subscribe, eventLog.getEntries)
  return (
    <section className="card log-card">
      <div className="card-head">
        <h2>Event log</h2>
        <span className="muted small">newest first</span>
      </div>
      {entries.length === 0 ? (
        <p className="muted small">Nothing yet.</p>
      ) : (
        <ol className="log" data-testid="event-log">
          {entries.map((entry) => (
            <li key={entry.id}>
              <time>{formatTime(entry.at)}</time>
              <span className={`tag tag-${entry.kind}`}>{entry.kind.replace('_', ' ')}</span>
              <span>{entry.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
