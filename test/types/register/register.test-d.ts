// Type tests of claims declared once through `Register` (checked by
// `tsc -p test/types/register`; never run): no generic and no cast anywhere.
import { createElement } from 'react'
import {
  createAuthClient,
  type AuthClient,
  type AuthenticatedState,
  type AuthState,
  type JwtPayload,
  type RegisteredClaims,
} from 'tokenkeeper'
import { AuthProvider, useAuth as useReactAuth } from 'tokenkeeper/react'
import { createAuthPlugin, useAuth as useVueAuth } from 'tokenkeeper/vue'
import { expectTypeOf, test } from 'vitest'

interface AppClaims extends JwtPayload {
  sub: string
  role: 'admin' | 'user'
}

interface OtherClaims extends JwtPayload {
  sub: string
  plan: 'free' | 'pro'
}

declare module 'tokenkeeper' {
  interface Register {
    claims: AppClaims
  }
}

test('the registered claims are the default everywhere', () => {
  expectTypeOf<RegisteredClaims>().toEqualTypeOf<AppClaims>()
  expectTypeOf(createAuthClient()).toEqualTypeOf<AuthClient<AppClaims>>()
  expectTypeOf<AuthenticatedState['claims']>().toEqualTypeOf<AppClaims>()
  expectTypeOf<AuthState>().toEqualTypeOf<AuthState<AppClaims>>()
})

test('React: useAuth() gives the registered claims without a generic', () => {
  const { state, claims, client } = useReactAuth()
  expectTypeOf(claims).toEqualTypeOf<AppClaims | undefined>()
  expectTypeOf(client).toEqualTypeOf<AuthClient<AppClaims>>()
  if (state.status === 'authenticated') expectTypeOf(state.claims.role).toEqualTypeOf<'admin' | 'user'>()
})

test('Vue: useAuth() gives the registered claims without a generic', () => {
  const { state, claims, client } = useVueAuth()
  expectTypeOf(claims.value).toEqualTypeOf<AppClaims | undefined>()
  expectTypeOf(client).toEqualTypeOf<AuthClient<AppClaims>>()
  const current = state.value
  if (current.status === 'authenticated') expectTypeOf(current.claims.role).toEqualTypeOf<'admin' | 'user'>()
})

test('an explicit generic still wins', () => {
  expectTypeOf(createAuthClient<OtherClaims>()).toEqualTypeOf<AuthClient<OtherClaims>>()
  expectTypeOf(useReactAuth<OtherClaims>().claims).toEqualTypeOf<OtherClaims | undefined>()
  expectTypeOf(useVueAuth<OtherClaims>().claims.value).toEqualTypeOf<OtherClaims | undefined>()
  expectTypeOf<AuthenticatedState<OtherClaims>['claims']>().toEqualTypeOf<OtherClaims>()
})

test('the provider and the plugin take a client of the registered claims, not of others', () => {
  const auth = createAuthClient()
  createElement(AuthProvider, { client: auth }, null)
  createAuthPlugin(auth)

  const other = createAuthClient<OtherClaims>()
  // @ts-expect-error a client of other claims than the registered ones
  createElement(AuthProvider, { client: other }, null)
  // @ts-expect-error a client of other claims than the registered ones
  createAuthPlugin(other)
})
