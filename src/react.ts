'use client'
import {
  createContext,
  createElement,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react'
import { deriveAuth, UNKNOWN_STATE, type DerivedAuth } from './core/adapter-state.js'
import type { AuthClient, AuthState, JwtPayload, RegisteredClaims } from './core/types.js'

const AuthContext = createContext<AuthClient<RegisteredClaims> | null>(null)
const getServerSnapshot = () => UNKNOWN_STATE

export interface AuthProviderProps {
  /** Typed with the claims declared through `Register` (see `createAuthClient`). */
  client: AuthClient<RegisteredClaims>
  children?: ReactNode
}

export interface UseAuthResult<Claims extends JwtPayload = RegisteredClaims> extends DerivedAuth<Claims> {
  state: AuthState<Claims>
  client: AuthClient<Claims>
}

export interface RequireAuthProps {
  children?: ReactNode
  /** Rendered while the session is unknown: restoring, or retrying (`useAuth().error` says why). @default null */
  fallback?: ReactNode
  /**
   * Called when the session is not there — on load, or later (a logout, here or in
   * another tab, or the server ending it): navigate to your login page here.
   * @example onUnauthenticated={() => navigate('/login')}
   */
  onUnauthenticated: () => void | Promise<void>
}

/**
 * Makes `client` available to the hooks below it and starts `client.restore()`
 * (which runs once per client, however many times providers mount).
 * @example <AuthProvider client={auth}><App /></AuthProvider>
 */
export function AuthProvider({ client, children }: AuthProviderProps) {
  // A failed restore is in the state (`error`) and the client retries; keep it from being unhandled.
  useEffect(() => void client.restore().catch(() => {}), [client])
  return createElement(AuthContext.Provider, { value: client }, children)
}

function useClientState<Claims extends JwtPayload>(hook: string): [AuthClient<Claims>, AuthState<Claims>] {
  const client = useContext(AuthContext) as AuthClient<Claims> | null
  if (!client) throw new Error(`${hook} must be used inside <AuthProvider>`)
  return [client, useSyncExternalStore(client.subscribe, client.getState, getServerSnapshot)]
}

/**
 * The session state (re-rendering on every change), what follows from it, and the
 * client for `login`, `logout` and `fetch`. The object keeps its identity while
 * neither changes. Claims are the ones declared through `Register`, unless given here.
 * @example const { isLoading, isAuthenticated, claims, error, client } = useAuth()
 */
export function useAuth<Claims extends JwtPayload = RegisteredClaims>(): UseAuthResult<Claims> {
  const [client, state] = useClientState<Claims>('useAuth')
  return useMemo(() => ({ state, client, ...deriveAuth(state) }), [state, client])
}

/**
 * The current access token, or `null` (also until the first read resolves).
 * For the rare code that needs the raw token — a WebSocket, a third-party SDK;
 * to call your API use `client.fetch`, which adds the header and refreshes for you.
 */
export function useAccessToken(): string | null {
  const [client, state] = useClientState('useAccessToken')
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

/**
 * Renders `children` only when authenticated, `fallback` while the session is
 * unknown, and nothing once it is not there, calling `onUnauthenticated` then —
 * once per change, also after a logout on an open page. Router-agnostic.
 * @example <RequireAuth fallback={<Spinner />} onUnauthenticated={() => navigate('/login')}><Account /></RequireAuth>
 */
export function RequireAuth({ children, fallback = null, onUnauthenticated }: RequireAuthProps): ReactNode {
  const [, state] = useClientState('RequireAuth')
  // The state already reported: StrictMode runs effects twice, re-renders run them again.
  const reported = useRef<AuthState<JwtPayload>>(undefined)
  useEffect(() => {
    if (state.status !== 'unauthenticated' || reported.current === state) return
    reported.current = state
    void onUnauthenticated()
  }, [state, onUnauthenticated])
  return state.status === 'authenticated' ? children : state.status === 'unknown' ? fallback : null
}
