import {
  computed,
  hasInjectionContext,
  inject,
  shallowReadonly,
  shallowRef,
  watchEffect,
  type App,
  type InjectionKey,
  type Plugin,
  type Ref,
  type ShallowRef,
} from 'vue'
import { deriveAuth } from './core/adapter-state.js'
import type { AuthError } from './core/errors.js'
import type { AuthClient, AuthState, JwtPayload, RegisteredClaims } from './core/types.js'

export interface UseAuthResult<Claims extends JwtPayload = RegisteredClaims> {
  state: Readonly<ShallowRef<AuthState<Claims>>>
  client: AuthClient<Claims>
  /** `true` while the session is unknown: restoring, or retrying after `error`. */
  isLoading: Readonly<Ref<boolean>>
  isAuthenticated: Readonly<Ref<boolean>>
  /** The access token's claims; `undefined` unless authenticated. */
  claims: Readonly<Ref<Claims | undefined>>
  /** Why the last restore failed (the client retries by itself); `undefined` otherwise. */
  error: Readonly<Ref<AuthError | undefined>>
}

/** The parts of a vue-router route that the guard reads (vue-router's routes have them). */
export interface GuardRoute {
  fullPath: string
  meta: Record<PropertyKey, unknown>
}

export interface AuthGuardOptions<Target, Route extends GuardRoute = GuardRoute> {
  /**
   * Where users without a session go: a route location, or a function of the route they wanted.
   * @example (to) => ({ name: 'login', query: { next: to.fullPath } })
   */
  redirectTo: Target | ((to: Route) => Target)
  /** Which routes need a session. @default (to) => to.meta.requiresAuth === true */
  isProtected?: (to: Route) => boolean
}

interface AuthContext {
  auth: UseAuthResult<any>
  app: App
}

// The part of vue-router's router that the guard uses, found as `$router` at run time.
interface RouterLike<Target, Route> {
  currentRoute: { value: Route }
  replace(to: Target): unknown
}

const AUTH_KEY: InjectionKey<AuthContext> = Symbol('tokenkeeper')

/**
 * A Vue plugin that provides `client` to `useAuth()`, keeps one reactive copy
 * of its state for the whole app (released when the app unmounts), and starts
 * `client.restore()` (which runs once per client). Needs Vue ≥ 3.5.
 * @example createApp(App).use(createAuthPlugin(auth)).mount('#app')
 */
export function createAuthPlugin(client: AuthClient<RegisteredClaims>): Plugin {
  return {
    install(app: App) {
      const state = shallowRef(client.getState())
      app.onUnmount(client.subscribe((next) => (state.value = next)))
      const derived = computed(() => deriveAuth(state.value))
      const auth: UseAuthResult<RegisteredClaims> = {
        state: shallowReadonly(state),
        client,
        isLoading: computed(() => derived.value.isLoading),
        isAuthenticated: computed(() => derived.value.isAuthenticated),
        claims: computed(() => derived.value.claims),
        error: computed(() => derived.value.error),
      }
      app.provide(AUTH_KEY, { auth, app })
      // Outside a browser (SSR) restore() resolves unknown without a call: the browser restores.
      // A failed restore is in the state (`error`) and the client retries; keep it from being unhandled.
      client.restore().catch(() => {})
    },
  }
}

function useContext(caller: string): AuthContext {
  const context = hasInjectionContext() ? inject(AUTH_KEY, null) : null
  if (!context) throw new Error(`${caller} must be used inside an app that installed createAuthPlugin(client)`)
  return context
}

/**
 * The session state as a read-only shallow ref, read-only refs derived from it,
 * and the client for `login`, `logout` and `fetch`. Call it in `setup()` (or
 * anywhere `inject()` works). Claims are the ones declared through `Register`, unless given here.
 * @example const { isLoading, isAuthenticated, claims, error, client } = useAuth()
 */
export function useAuth<Claims extends JwtPayload = RegisteredClaims>(): UseAuthResult<Claims> {
  return useContext('useAuth').auth
}

/**
 * The current access token as a read-only ref, or `null` (also until the first read
 * resolves). For the rare code that needs the raw token — a WebSocket, a third-party
 * SDK; to call your API use `client.fetch`, which adds the header and refreshes for you.
 */
export function useAccessToken(): Readonly<Ref<string | null>> {
  const { state, client } = useContext('useAccessToken').auth
  const token = shallowRef<string | null>(null)
  watchEffect((onCleanup) => {
    if (state.value.status !== 'authenticated') return void (token.value = null)
    let current = true
    onCleanup(() => (current = false))
    // A failure (network) keeps the last token; the client's 'error' event reports it.
    client.getAccessToken().then(
      (next) => current && (token.value = next),
      () => {},
    )
  })
  return computed(() => (state.value.status === 'authenticated' ? token.value : null))
}

/**
 * A guard for `router.beforeEach`: it waits for the first restore, sends users
 * without a session to `redirectTo` (also when the restore failed: that page can show
 * `useAuth().error`), and moves there too when the session ends (a logout, here or in
 * another tab) while a protected route is open. Finds the client through `inject()`,
 * so install `createAuthPlugin(client)` on the same app.
 * @example router.beforeEach(createAuthGuard({ redirectTo: '/login' }))
 */
export function createAuthGuard<Target, Route extends GuardRoute = GuardRoute>({
  redirectTo,
  isProtected = (to) => to.meta.requiresAuth === true,
}: AuthGuardOptions<Target, Route>): (to: Route) => Promise<true | Target> {
  const target = (to: Route): Target =>
    typeof redirectTo === 'function' ? (redirectTo as (to: Route) => Target)(to) : redirectTo
  const following = new WeakSet<AuthContext>()

  function follow(context: AuthContext) {
    const { auth, app } = context
    following.add(context)
    const router = app.config.globalProperties.$router as unknown as RouterLike<Target, Route>
    const stop = auth.client.subscribe((state) => {
      const route = router.currentRoute.value
      if (state.status === 'unauthenticated' && isProtected(route)) void router.replace(target(route))
    })
    app.onUnmount(stop)
  }

  return async (to) => {
    if (!isProtected(to)) return true
    const context = useContext('createAuthGuard')
    if (!following.has(context)) follow(context)
    const { client } = context.auth
    // A failed restore leaves the state unknown (with its error): the login page can show it.
    const state = await client.restore().catch(() => client.getState())
    return state.status === 'authenticated' || target(to)
  }
}
