export { createAuthClient } from './core/auth-client.js'
export { AuthError, isAuthError, type AuthEndpointName, type AuthErrorCode } from './core/errors.js'
export { decodeToken, hasScope } from './core/token.js'
export type {
  AuthClient,
  AuthEndpoints,
  AuthEvents,
  AuthOptions,
  AuthRequestInit,
  AuthState,
  AuthenticatedState,
  Register,
  RegisteredClaims,
  UnauthenticatedState,
  UnknownState,
  ChannelLike,
  CrossTabOptions,
  JwtHeader,
  JwtPayload,
  LockManagerLike,
  TokenResponse,
} from './core/types.js'
