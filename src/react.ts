'use client'
import {
  createContext,
  createElement,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react'
import type { AuthClient, AuthState, JwtPayload } from './core/types.js'

const AuthContext = createContext<AuthClient<any> | null>(null)
// What the server renders (and hydration starts from): the session is only known in the browser.
const UNKNOWN_STATE: AuthState<never> = Object.freeze({ status: 'unknown' })
const getServerSnapshot = () => UNKNOWN_STATE
// restore() once per client, not per mount: StrictMode runs effects twice (auth0-react PR #355).
const restored = new WeakSet<AuthClient<any>>()

export interface AuthProviderProps {
  client: AuthClient<any>
  children?: ReactNode
}

export interface UseAuthResult<Claims extends JwtPayload = JwtPayload> {
  state: AuthState<Claims>
  client: AuthClient<Claims>
}

/**
 * Makes `client` available to `useAuth()` and `useAccessToken()` below it, and
 * calls `client.restore()` the first time a provider mounts with that client.
 * @example <AuthProvider client={auth}><App /></AuthProvider>
 */
export function AuthProvider({ client, children }: AuthProviderProps) {
  useEffect(() => {
    if (restored.has(client)) return
    restored.add(client)
    // A network failure already reaches the client's 'error' event; keep it from being unhandled.
    client.restore().catch(() => {})
  }, [client])
  return createElement(AuthContext.Provider, { value: client }, children)
}

function useClient<Claims extends JwtPayload>(hook: string): AuthClient<Claims> {
  const client = useContext(AuthContext)
  if (!client) throw new Error(`${hook} must be used inside <AuthProvider>`)
  return client
}

/**
 * The session state (re-rendering on every change) and the client, for
 * `login`, `logout` and `fetch`. The object keeps its identity while neither changes.
 * @example const { state, client } = useAuth<MyClaims>()
 */
export function useAuth<Claims extends JwtPayload = JwtPayload>(): UseAuthResult<Claims> {
  const client = useClient<Claims>('useAuth')
  const state = useSyncExternalStore(client.subscribe, client.getState, getServerSnapshot)
  return useMemo(() => ({ state, client }), [state, client])
}

/**
 * The current access token, or `null` (also until the first read resolves).
 * For the rare code that needs the raw token — a WebSocket, a third-party SDK;
 * to call your API use `client.fetch`, which adds the header and refreshes for you.
 */
export function useAccessToken(): string | null {
  const client = useClient('useAccessToken')
  const state = useSyncExternalStore(client.subscribe, client.getState, getServerSnapshot)
  const [token, setToken] = useState<string | null>(null)
  const authenticated = state.status === 'authenticated'
  useEffect(() => {
    if (!authenticated) return setToken(null)
    let current = true
    // A failure (network) keeps the last token; the client's 'error' event reports it.
    client.getAccessToken().then(
      (next) => current && setToken(next),
      () => {},
    )
    return () => void (current = false)
  }, [client, state, authenticated])
  return authenticated ? token : null
}
