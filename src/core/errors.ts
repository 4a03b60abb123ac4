// One error type: a code for every outcome, details where they apply, never a token in it.
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'session_expired'
  | 'network'
  | 'timeout'
  | 'http_error'
  | 'invalid_response'
  | 'rate_limited'
  | 'invalid_token'
  | 'destroyed'

export type AuthEndpointName = 'login' | 'refresh' | 'logout'

export interface AuthErrorDetails {
  /** The auth server's HTTP status, when it answered. */
  status?: number
  /** Which auth call failed. */
  endpoint?: AuthEndpointName
  /** The server's `reason` (e.g. `'reused'`), when its answer named one. */
  reason?: string
  /** Seconds to wait, for `rate_limited`. */
  retryAfter?: number
  cause?: unknown
}

/**
 * The one error type of tokenkeeper: `code` says what happened, `status` the
 * auth server's HTTP status when it answered. Its message never contains a token.
 */
export class AuthError extends Error {
  override name = 'AuthError' as const
  // Declared, not initialised: only the details an error has become its properties.
  declare readonly code: AuthErrorCode
  declare readonly status?: number
  declare readonly endpoint?: AuthEndpointName
  declare readonly reason?: string
  declare readonly retryAfter?: number

  constructor(code: AuthErrorCode, { cause, ...details }: AuthErrorDetails = {}) {
    // The code is the message: stable, greppable, and free of anything secret.
    super(details.status ? `${code} (HTTP ${details.status})` : code, { cause })
    Object.assign(this, { code, ...details })
  }
}

/** `instanceof` or the name: errors from another realm (an iframe) count too. */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return (
    (value instanceof AuthError || (value instanceof Error && value.name === 'AuthError')) &&
    (code === undefined || (value as AuthError).code === code)
  )
}
