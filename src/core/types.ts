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
  /** @default navigator.locks */
  locks?: LockManagerLike | null
  /** @default (name) => new BroadcastChannel(name) */
  channel?: ((name: string) => ChannelLike) | null
}

export interface AuthOptions {
  /**
   * Where the auth endpoints live; its origin also receives the Bearer header.
   * @default location.origin
   */
  baseUrl?: string
  endpoints?: AuthEndpoints
  /**
   * Other origins that may receive the Bearer header: exact origins or RegExps
   * tested against the origin. Everything else is denied.
   * @example ['https://api.example.com', /^https:\/\/[a-z]+\.example\.com$/]
   */
  allowedOrigins?: ReadonlyArray<string | RegExp>
  /** Seconds before expiry to refresh. @default min(60, 20% of the token's lifetime) */
  refreshLeeway?: number
  /** Sent on login, refresh and logout (CSRF defence). @default { 'X-Requested-With': 'XMLHttpRequest' } */
  authHeaders?: Record<string, string>
  /** Web Locks + BroadcastChannel coordination between tabs. @default true where the browser has them */
  crossTab?: boolean | CrossTabOptions
  /** Maps the JSON body of login/refresh answers to a token. @default accepts access_token | accessToken | token and expires_in | expiresIn */
  parseTokenResponse?: (body: any) => TokenResponse
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** Timeout of each call to an auth endpoint, in ms. @default 10000 */
  timeout?: number
  /** Retries of a refresh on network errors, 408, 429 and 5xx. @default 3 */
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
  /** A background refresh failed (the session may still be usable). */
  error: AuthError
}

/** The events inside the client: the public ones and each state change. */
export type ClientEvents<Claims extends JwtPayload> = AuthEvents<Claims> & { state: AuthState<Claims> }

export type AuthRequestInit = RequestInit & {
  /** `false` sends this one request without the Bearer header. */
  auth?: boolean
}

export interface AuthClient<Claims extends JwtPayload = RegisteredClaims> {
  restore(): Promise<AuthState<Claims>>
  login(body: unknown): Promise<AuthState<Claims>>
  logout(): Promise<void>
  getAccessToken(): Promise<string | null>
  refresh(): Promise<string>
  setAccessToken(token: string, expiresIn?: number): void
  fetch(input: RequestInfo | URL, init?: AuthRequestInit): Promise<Response>
  getState(): AuthState<Claims>
  subscribe(listener: (state: AuthState<Claims>) => void): () => void
  on<E extends keyof AuthEvents<Claims>>(event: E, listener: (payload: AuthEvents<Claims>[E]) => void): () => void
  destroy(): void
}
