import {
  hasInjectionContext,
  inject,
  shallowReadonly,
  shallowRef,
  type App,
  type InjectionKey,
  type Plugin,
  type ShallowRef,
} from 'vue'
import type { AuthClient, AuthState, JwtPayload } from './core/types.js'

export interface UseAuthResult<Claims extends JwtPayload = JwtPayload> {
  state: Readonly<ShallowRef<AuthState<Claims>>>
  client: AuthClient<Claims>
}

const AUTH_KEY: InjectionKey<UseAuthResult<any>> = Symbol('tokenkeeper')
// restore() once per client, not per app: an app created again (HMR, tests) must not refresh again.
const restored = new WeakSet<AuthClient<any>>()

/**
 * A Vue plugin that provides `client` to `useAuth()`, keeps one reactive copy
 * of its state for the whole app (released when the app unmounts), and calls
 * `client.restore()` the first time the client is installed. Needs Vue ≥ 3.5.
 * @example createApp(App).use(createAuthPlugin(auth)).mount('#app')
 */
export function createAuthPlugin(client: AuthClient<any>): Plugin {
  return {
    install(app: App) {
      const state = shallowRef(client.getState())
      const unsubscribe = client.subscribe((next) => {
        state.value = next
      })
      app.onUnmount(unsubscribe)
      app.provide(AUTH_KEY, { state: shallowReadonly(state), client })
      // On the server (SSR) there is no cookie to restore from: the browser does it.
      if (typeof document === 'undefined' || restored.has(client)) return
      restored.add(client)
      // A network failure already reaches the client's 'error' event; keep it from being unhandled.
      client.restore().catch(() => {})
    },
  }
}

/**
 * The session state as a read-only shallow ref, and the client for `login`,
 * `logout` and `fetch`. Call it in `setup()` (or anywhere `inject()` works).
 * @example const { state, client } = useAuth<MyClaims>()
 */
export function useAuth<Claims extends JwtPayload = JwtPayload>(): UseAuthResult<Claims> {
  const context = hasInjectionContext() ? inject(AUTH_KEY, null) : null
  if (!context) {
    throw new Error('useAuth must be used inside an app that installed createAuthPlugin(client)')
  }
  return context
}
