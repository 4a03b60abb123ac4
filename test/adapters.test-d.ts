// Type tests: checked by `tsc -p tsconfig.json` (and by `vitest --typecheck`); never run.
// Claims registered through `Register` are proved in test/types/register/ (its own program).
import { createElement } from 'react'
import { expectTypeOf, test } from 'vitest'
import { createApp, type Plugin, type Ref, type ShallowRef } from 'vue'
import { createMemoryHistory, createRouter, type RouteLocationNormalized } from 'vue-router'
import type { AuthClient, AuthError, AuthState, JwtPayload } from '../src/index.ts'
import { AuthProvider, RequireAuth, useAccessToken, useAuth as useReactAuth } from '../src/react.ts'
import {
  createAuthGuard,
  createAuthPlugin,
  useAccessToken as useVueAccessToken,
  useAuth as useVueAuth,
} from '../src/vue.ts'

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
  // @ts-expect-error not a client: the prop is no longer AuthClient<any>
  createElement(AuthProvider, { client: { getState: () => ({ status: 'unknown' }) } }, null)
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
    expectTypeOf(state.refreshAt).toEqualTypeOf<number>()
    // @ts-expect-error not a claim of Claims
    void state.claims.organisation
  }
  if (state.status === 'unknown') expectTypeOf(state.error).toEqualTypeOf<AuthError | undefined>()
})

test('React: useAuth() gives isLoading, isAuthenticated, claims and error', () => {
  const { isLoading, isAuthenticated, claims, error } = useReactAuth<Claims>()
  expectTypeOf(isLoading).toEqualTypeOf<boolean>()
  expectTypeOf(isAuthenticated).toEqualTypeOf<boolean>()
  expectTypeOf(claims).toEqualTypeOf<Claims | undefined>()
  expectTypeOf(error).toEqualTypeOf<AuthError | undefined>()
  // @ts-expect-error claims may be undefined
  void claims.role
})

test('React: useAuth() defaults to JwtPayload claims when none are registered', () => {
  const { state, claims } = useReactAuth()
  if (state.status === 'authenticated') expectTypeOf(state.claims).toEqualTypeOf<JwtPayload>()
  expectTypeOf(claims).toEqualTypeOf<JwtPayload | undefined>()
})

test('React: useAccessToken() gives a string or null', () => {
  expectTypeOf(useAccessToken()).toEqualTypeOf<string | null>()
})

test('React: RequireAuth needs onUnauthenticated, sync or async, and takes any fallback', () => {
  createElement(RequireAuth, { onUnauthenticated: () => {} }, 'secret')
  createElement(RequireAuth, { onUnauthenticated: async () => {}, fallback: createElement('p') }, 'secret')
  // @ts-expect-error where to go is the app's decision: onUnauthenticated is required
  createElement(RequireAuth, { fallback: 'loading' }, 'secret')
  // @ts-expect-error it is called without arguments
  createElement(RequireAuth, { onUnauthenticated: (path: string) => void path }, 'secret')
})

test('Vue: createAuthPlugin(client) is a plugin for app.use', () => {
  expectTypeOf(createAuthPlugin(client)).toEqualTypeOf<Plugin>()
  createApp({}).use(createAuthPlugin(client))
  // @ts-expect-error not a client: the parameter is no longer AuthClient<any>
  createAuthPlugin({ getState: () => ({ status: 'unknown' }) })
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
    expectTypeOf(current.refreshAt).toEqualTypeOf<number>()
    // @ts-expect-error not a claim of Claims
    void current.claims.organisation
  }
})

test('Vue: useAuth() gives isLoading, isAuthenticated, claims and error as read-only refs', () => {
  const { isLoading, isAuthenticated, claims, error } = useVueAuth<Claims>()
  expectTypeOf(isLoading).toEqualTypeOf<Readonly<Ref<boolean>>>()
  expectTypeOf(isAuthenticated).toEqualTypeOf<Readonly<Ref<boolean>>>()
  expectTypeOf(claims.value).toEqualTypeOf<Claims | undefined>()
  expectTypeOf(error.value).toEqualTypeOf<AuthError | undefined>()
  // @ts-expect-error read-only
  isAuthenticated.value = true
  // @ts-expect-error read-only
  claims.value = undefined
})

test('Vue: useAuth() defaults to JwtPayload claims when none are registered', () => {
  const { state, claims } = useVueAuth()
  const current = state.value
  if (current.status === 'authenticated') expectTypeOf(current.claims).toEqualTypeOf<JwtPayload>()
  expectTypeOf(claims.value).toEqualTypeOf<JwtPayload | undefined>()
})

test('Vue: useAccessToken() gives a read-only ref of a string or null', () => {
  const token = useVueAccessToken()
  expectTypeOf(token.value).toEqualTypeOf<string | null>()
  // @ts-expect-error read-only
  token.value = 'forged'
})

test("Vue: createAuthGuard() fits vue-router's beforeEach with a path, a location or a function", () => {
  const router = createRouter({ history: createMemoryHistory(), routes: [] })
  router.beforeEach(createAuthGuard({ redirectTo: '/login' }))
  router.beforeEach(createAuthGuard({ redirectTo: { name: 'login' } }))
  router.beforeEach(
    createAuthGuard({
      redirectTo: (to) => ({ path: '/login', query: { next: to.fullPath } }),
      isProtected: (to) => to.meta.requiresAuth === true || to.fullPath.startsWith('/admin'),
    }),
  )
  // Routes typed as vue-router's, for apps that read more of them.
  createAuthGuard({
    redirectTo: (to: RouteLocationNormalized) => ({ name: 'login', params: to.params }),
  })
  // @ts-expect-error redirectTo is required
  createAuthGuard({})
  // @ts-expect-error vue-router cannot go to a number
  router.beforeEach(createAuthGuard({ redirectTo: 404 }))
})
