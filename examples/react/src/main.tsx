import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { AuthProvider } from 'tokenkeeper/react'
import { App } from './app.tsx'
import { auth } from './auth.ts'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')

// <AuthProvider> restores the session once (not once per StrictMode mount).
createRoot(root).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </AuthProvider>
  </StrictMode>,
)
