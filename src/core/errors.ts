export type AuthErrorCode =
  | 'invalid_credentials'
  | 'session_expired'
  | 'network'
  | 'timeout'
  | 'invalid_token'
  | 'destroyed'

const messages: Record<AuthErrorCode, string> = {
  invalid_credentials: 'The login was rejected',
  session_expired: 'The session has ended; log in again',
  network: 'The auth server could not be reached',
  timeout: 'The auth server did not answer in time',
  invalid_token: 'The auth server did not return a usable access token',
  destroyed: 'This auth client was destroyed',
}

/** The one error type of tokenkeeper. Its message never contains a token. */
export class AuthError extends Error {
  override name = 'AuthError' as const
  readonly code: AuthErrorCode
  /** HTTP status of the auth server's answer, when there was one. */
  readonly status?: number

  constructor(code: AuthErrorCode, options: { status?: number; cause?: unknown } = {}) {
    const suffix = options.status === undefined ? '' : ` (HTTP ${options.status})`
    super(messages[code] + suffix, { cause: options.cause })
    this.code = code
    if (options.status !== undefined) this.status = options.status
  }
}

export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return (
    value instanceof Error &&
    value.name === 'AuthError' &&
    (code === undefined || (value as AuthError).code === code)
  )
}
