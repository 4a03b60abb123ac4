export type AuthErrorCode =
  'invalid_credentials' | 'session_expired' | 'network' | 'timeout' | 'invalid_token' | 'destroyed'

/**
 * The one error type of tokenkeeper: `code` says what happened, `status` the
 * auth server's HTTP status when it answered. Its message never contains a token.
 */
export class AuthError extends Error {
  override name = 'AuthError' as const
  readonly code: AuthErrorCode
  readonly status?: number

  constructor(code: AuthErrorCode, options: { status?: number; cause?: unknown } = {}) {
    // The code is the message: stable, greppable, and free of anything secret.
    super(options.status ? `${code} (HTTP ${options.status})` : code, { cause: options.cause })
    this.code = code
    if (options.status) this.status = options.status
  }
}

export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return (
    value instanceof Error && value.name === 'AuthError' && (code === undefined || (value as AuthError).code === code)
  )
}
