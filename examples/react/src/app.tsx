import type { ReactNode } from 'react'
import { Link, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router'
import { RequireAuth, useAuth } from 'tokenkeeper/react'
import { LoginPage } from './login-page.tsx'
import { ProfilePage } from './profile-page.tsx'

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<p>A public page. The profile needs a session.</p>} />
        <Route path="login" element={<LoginPage />} />
        <Route
          path="profile"
          element={
            <Protected>
              <ProfilePage />
            </Protected>
          }
        />
      </Route>
    </Routes>
  )
}

/** Children only with a session; otherwise off to /login, remembering where we were. */
function Protected({ children }: { children: ReactNode }) {
  const navigate = useNavigate()
  const location = useLocation()
  return (
    <RequireAuth
      fallback={<p data-testid="loading">Checking your session…</p>}
      // Also called when the session ends while this page is open (a logout in another tab).
      onUnauthenticated={() => navigate('/login', { replace: true, state: { from: location.pathname } })}
    >
      {children}
    </RequireAuth>
  )
}

function Layout() {
  return (
    <>
      <header>
        <nav>
          <Link to="/">Home</Link> · <Link to="/profile">Profile</Link>
        </nav>
        <SessionBadge />
      </header>
      <main>
        <Outlet />
      </main>
    </>
  )
}

/** While the session is being restored we do not know yet: show neither "Log in" nor a name. */
function SessionBadge() {
  const { isLoading, isAuthenticated, claims, client } = useAuth()
  let content: ReactNode
  if (isLoading) content = 'Checking…'
  else if (isAuthenticated && claims)
    content = (
      <>
        Signed in as {claims.name} <button onClick={() => void client.logout()}>Log out</button>
      </>
    )
  else content = <Link to="/login">Log in</Link>
  return <p data-testid="session">{content}</p>
}
