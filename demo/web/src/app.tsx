import { useAuth } from 'tokenkeeper/react'
import { ActionsCard } from './actions-card.tsx'
import { EventLogCard } from './event-log-card.tsx'
import { LoginForm } from './login-form.tsx'
import { SessionCard } from './session-card.tsx'

export function App() {
  const { state } = useAuth()
  return (
    <div className="page">
      <header className="masthead">
        <div>
          <h1>
            tokenkeeper <span className="muted">demo</span>
          </h1>
          <p className="lede">React 19 · access token in memory · refresh token in an HttpOnly cookie</p>
        </div>
        <nav className="switch">
          <span className="switch-item active">React</span>
          <a className="switch-item" href="/vue.html">
            Vue
          </a>
        </nav>
      </header>

      <p className="tip">
        <strong>Open a second tab</strong> (this page or the <a href="/vue.html">Vue page</a>) to watch logins, logouts
        and refreshes sync across tabs.
      </p>

      <main className="grid">
        <div className="column">{state.status === 'unauthenticated' ? <LoginForm /> : <SessionCard />}</div>
        <div className="column">
          <ActionsCard />
          <EventLogCard />
        </div>
      </main>
    </div>
  )
}
