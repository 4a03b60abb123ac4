import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AuthProvider } from 'tokenkeeper/react'
import { App } from './app.tsx'
import { auth } from './auth.ts'

// StrictMode on purpose: AuthProvider must restore once per client, not once per mount.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
