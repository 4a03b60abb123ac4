// Type tests: checked by `tsc -p tsconfig.json` (and by `vitest --typecheck`); never run.
import { createElement } from 'react'
import { expectTypeOf, test } from 'vitest'
import { createApp, type Plugin, type ShallowRef } from 'vue'
import type { AuthClient, AuthState, JwtPayload } from '../src/index.ts'
import { AuthProvider, useAccessToken, useAuth as useReactAuth } from '../src/react.ts'
import { createAuthPlugin, useAuth as useVueAuth } from '../src/vue.ts'

interface Claims extends JwtPayload {
  sub: string
  role: 'admin' | 'user'
  tenant: { id: string }
}

declare const client: AuthClient<Claims>

test('React: AuthProvider takes a client with custom claims', () => {
  createElement(AuthProvider, { client }, null)
  // @ts-expect-error the client is required
  createElement(AuthProvider, {}, null)
})

test('React: useAuth<Claims>() narrows to claims of type Claims', () => {
  const { state, client } = useReactAuth<Claims>()
  expectTypeOf(client).toEqualTypeOf<AuthClient<Claims>>()
  expectTypeOf(state).toEqualTypeOf<AuthState<Claims>>()
  // @ts-expect-error claims exist only once the state is narrowed to authenticated
  void state.claims
  if (state.status === 'authenticated') {
    expectTypeOf(state.claims).toEqualTypeOf<Claims>()
    expectTypeOf(state.claims.role).toEqualTypeOf<'admin' | 'user'>()
    expectTypeOf(state.claims.tenant.id).toEqualTypeOf<string>()
    expectTypeOf(state.expiresAt).toEqualTypeOf<number>()
    // @ts-expect-error not a claim of Claims
    void state.claims.organisation
  }
})

test('React: useAuth() defaults to JwtPayload claims', () => {
  const { state } = useReactAuth()
  if (state.status === 'authenticated') expectTypeOf(state.claims).toEqualTypeOf<JwtPayload>()
})

test('React: useAccessToken() gives a string or null', () => {
  expectTypeOf(useAccessToken()).toEqualTypeOf<string | null>()
})

test('Vue: createAuthPlugin(client) is a plugin for app.use', () => {
  expectTypeOf(createAuthPlugin(client)).toEqualTypeOf<Plugin>()
  createApp({}).use(createAuthPlugin(client))
})

test('Vue: useAuth<Claims>() gives a read-only shallow ref narrowing to Claims', () => {
  const { state, client } = useVueAuth<Claims>()
  expectTypeOf(client).toEqualTypeOf<AuthClient<Claims>>()
  expectTypeOf(state).toEqualTypeOf<Readonly<ShallowRef<AuthState<Claims>>>>()
  // @ts-expect-error the ref is read-only
  state.value = { status: 'unknown' }
  const current = state.value
  if (current.status === 'authenticated') {
    expectTypeOf(current.claims).toEqualTypeOf<Claims>()
    expectTypeOf(current.claims.role).toEqualTypeOf<'admin' | 'user'>()
    // @ts-expect-error not a claim of Claims
    void current.claims.organisation
  }
})

test('Vue: useAuth() defaults to JwtPayload claims', () => {
  const current = useVueAuth().state.value
  if (current.status === 'authenticated') expectTypeOf(current.claims).toEqualTypeOf<JwtPayload>()
})
