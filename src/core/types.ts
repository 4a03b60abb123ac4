// The public types, with the JSDoc users read in their editor.
import type { JwtHeader, JwtPayload } from 'jwt-decode'
import type { AuthError } from './errors.js'

export type { JwtHeader, JwtPayload }

/**
 * Declare your claims once and every API uses them without casts:
 * @example declare module 'tokenkeeper' { interface Register { claims: MyClaims } }
 */
// oxlint-disable-next-line no-empty-interface -- augmented by users
export interface Register {}

/** The claims declared through `Register`, else `JwtPayload`. */
export type RegisteredClaims = Register extends { claims: infer Claims extends JwtPayload } ? Claims : JwtPayload

export interface UnknownState {
  readonly status: 'unknown'
  /** The last failed attempt to restore the session; the client retries by itself. */
  readonly error?: AuthError
}

export interface AuthenticatedState<Claims extends JwtPayload = RegisteredClaims> {
  readonly status: 'authenticated'
  readonly claims: Claims
  /** When the access token expires, epoch ms on the local clock. */
  readonly expiresAt: number
  /** When the client plans to refresh it, epoch ms on the local clock. */
  readonly refreshAt: number
}

export interface UnauthenticatedState {
  readonly status: 'unauthenticated'
  readonly reason?: 'logout' | 'session_expired' | 'no_session'
}

export type AuthState<Claims extends JwtPayload = RegisteredClaims> =
  UnknownState | AuthenticatedState<Claims> | UnauthenticatedState

/** What the auth server's JSON answer must yield. */
export interface TokenResponse {
  accessToken: string
  /** Lifetime in seconds, when the server sent one (`expires_in`). */
  expiresIn?: number
}

export interface AuthEndpoints {
  /** @default '/auth/login' */
  login?: string
  /** @default '/auth/refresh' */
  refresh?: string
  /** @default '/auth/logout' */
  logout?: string
}

/** The part of the Web Locks API that tokenkeeper uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>
  /** Lets a new tab see whether other tabs are open. */
  query?(): Promise<{ held?: ReadonlyArray<{ name?: string }> }>
}

/** The part of `BroadcastChannel` that tokenkeeper uses. */
export interface ChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  close(): void
}

export interface CrossTabOptions {
  /** Names the Web Lock and the BroadcastChannel. @default derived from baseUrl + the refresh endpoint */
  key?: string
  /** `null` turns the lock off. @default navigator.locks (in a browser page; none in Node) */
  locks?: LockManagerLike | null
  /** `null` turns the channel off. @default (name) => new BroadcastChannel(name) (in a browser page; none in Node) */
  channel?: ((name: string) => ChannelLike) | null
}

export interface AuthOptions {
  /**
   * Where the auth endpoints live; its origin also receives the Bearer header.
   * @default location.origin
   */
  baseUrl?: string
  /** Paths (relative to baseUrl) or absolute URLs of the auth endpoints. @default { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout' } */
  endpoints?: AuthEndpoints
  /**
   * Other origins that may receive the Bearer header: exact origins or RegExps
   * tested against the origin. Everything else is denied.
   * @default [] (only baseUrl's origin)
   * @example ['https://api.example.com', /^https:\/\/[a-z]+\.example\.com$/]
   */
  allowedOrigins?: ReadonlyArray<string | RegExp>
  /** Seconds before expiry to refresh; never more than half the lifetime. @default min(60, 20% of the token's lifetime), at least 1 */
  refreshLeeway?: number
  /** Sent on login, refresh and logout (CSRF defence). @default { 'X-Requested-With': 'XMLHttpRequest' } */
  authHeaders?: Record<string, string>
  /** Web Locks + BroadcastChannel coordination between tabs; `false` for none. @default true where the browser has them */
  crossTab?: boolean | CrossTabOptions
  /**
   * Maps the JSON body of login/refresh answers to a token.
   * @default (body) => ({ accessToken: body.access_token ?? body.accessToken ?? body.token, expiresIn: body.expires_in ?? body.expiresIn })
   * @example (body) => ({ accessToken: body.data.access_token, expiresIn: body.data.expires / 1000 }) // Directus
   */
  parseTokenResponse?: (body: any) => TokenResponse
  /** The fetch that makes every request, looked up at call time. @default globalThis.fetch */
  fetch?: typeof fetch
  /** Timeout of each call to an auth endpoint, in ms. @default 10000 */
  timeout?: number
  /** Retries of a refresh or logout on network errors, timeouts, 408, 429 and 5xx (a login is never retried). @default 3 */
  retries?: number
  /** The clock, in epoch ms (tests inject one). @default Date.now */
  now?: () => number
  /** The random source in [0, 1) for jitter and backoff (tests inject one). @default Math.random */
  random?: () => number
}

export interface AuthEvents<Claims extends JwtPayload = RegisteredClaims> {
  /** A new access token is in use. */
  refresh: AuthenticatedState<Claims>
  /** The server refused to refresh an active session. */
  session_expired: AuthError
  logout: void
  /** An attempt failed: a refresh (the session may still be usable; it retries), or the final logout call. */
  error: AuthError
}

/** The events inside the client: the public ones and each state change. */
export type ClientEvents<Claims extends JwtPayload> = AuthEvents<Claims> & { state: AuthState<Claims> }

export type AuthRequestInit = RequestInit & {
  /** `false` sends this one request without the Bearer header. */
  auth?: boolean
}

export interface AuthClient<Claims extends JwtPayload = RegisteredClaims> {
  /**
   * On page load: a token from another open tab, else one refresh call with the cookie. No session
   * resolves `unauthenticated`; any other failure rejects, sets `{ status: 'unknown', error }` and
   * the client retries by itself. Once per client; outside a browser it resolves `unknown`.
   */
  restore(): Promise<AuthState<Claims>>
  /** POSTs `body` as JSON to the login endpoint; every tab is logged in. Rejects an `AuthError`. */
  login(body: unknown): Promise<AuthState<Claims>>
  /** Ends the session here and in every tab at once, then tells the server (retried; a final failure goes to `'error'`). */
  logout(): Promise<void>
  /** A token valid for at least the leeway (refreshing first if needed), or `null` when unauthenticated. */
  getAccessToken(): Promise<string | null>
  /** Forces a refresh, shared with any in flight. A refusal ends the session: `session_expired`. */
  refresh(): Promise<string>
  /** Adopts a token obtained elsewhere (e.g. an OAuth redirect); throws `invalid_token` for one it cannot use. */
  setAccessToken(token: string, expiresIn?: number): void
  /** Drop-in `fetch`: Bearer to allowed origins only, refreshed when needed, one retry after a 401. */
  fetch(input: RequestInfo | URL, init?: AuthRequestInit): Promise<Response>
  /** The current state: the same frozen object until something changes. */
  getState(): AuthState<Claims>
  /** Called after every state change, outside any lock; returns unsubscribe. */
  subscribe(listener: (state: AuthState<Claims>) => void): () => void
  /** Listens to `'refresh'`, `'session_expired'`, `'logout'` or `'error'`; returns unsubscribe. */
  on<E extends keyof AuthEvents<Claims>>(event: E, listener: (payload: AuthEvents<Claims>[E]) => void): () => void
  /** Stops timers, closes channels, settles every pending call; afterwards every method rejects `destroyed`. */
  destroy(): void
}
