import { readFileSync } from 'node:fs'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { AuthError, type AuthClient } from '../src/index.ts'
import { createMemoryHistory, createRouter, RouterView, type RouteLocationRaw } from 'vue-router'
import {
  createAuthGuard,
  createAuthPlugin,
  useAccessToken,
  useAuth,
  type AuthGuardOptions,
  type GuardRoute,
  type UseAuthResult,
} from '../src/vue.ts'
import {
  countSubscriptions,
  createStubServer,
  createTestClient,
  destroyTestClients,
  type TestClaims,
} from './helpers/fake-client.ts'
import { createStateClient } from './helpers/state-client.ts'

afterEach(() => {
  destroyTestClients()
  vi.restoreAllMocks()
})
// Registered last, so it runs first: apps unmount before their clients are destroyed.
enableAutoUnmount(afterEach)

const Status = defineComponent({
  setup() {
    const { state } = useAuth<TestClaims>()
    return () => {
      const current = state.value
      return h('p', current.status === 'authenticated' ? `authenticated as ${current.claims.sub}` : current.status)
    }
  },
})

function mountWith(client: AuthClient<any>, component = Status) {
  return mount(component, { global: { plugins: [createAuthPlugin(client)] } })
}

/** Mounts an app with the plugin and returns what useAuth() gave its component. */
function useAuthIn(client: AuthClient<any>): UseAuthResult<TestClaims> {
  let auth!: UseAuthResult<TestClaims>
  mountWith(client, defineComponent({ setup: () => ((auth = useAuth<TestClaims>()), () => h('p')) }))
  return auth
}

const values = ({ isLoading, isAuthenticated, claims, error }: UseAuthResult<TestClaims>) => ({
  isLoading: isLoading.value,
  isAuthenticated: isAuthenticated.value,
  claims: claims.value,
  error: error.value,
})

function setup() {
  const server = createStubServer()
  return { server, client: createTestClient(server) }
}

describe('createAuthPlugin and useAuth', () => {
  it('renders unknown until the refresh answers, then authenticated', async () => {
    const { server, client } = setup()
    const release = server.hold()
    const wrapper = mountWith(client)
    expect(wrapper.text()).toBe('unknown')

    release()
    await client.restore()
    await nextTick()
    expect(wrapper.text()).toBe('authenticated as user-1')
  })

  it('renders unauthenticated after logout', async () => {
    const { client } = setup()
    const wrapper = mountWith(client)
    await client.restore()

    await client.logout()
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')
  })

  it('renders unauthenticated when there is no session cookie', async () => {
    const { server, client } = setup()
    server.signOut()
    const wrapper = mountWith(client)

    await client.restore()
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')
  })

  it('makes one refresh call however many apps install the same client', async () => {
    const { server, client } = setup()
    mountWith(client).unmount()
    const wrapper = mountWith(client)
    await flushPromises()

    expect(server.count('/auth/refresh')).toBe(1)
    expect(wrapper.text()).toBe('authenticated as user-1')
  })

  it('is loading while unknown, then authenticated with the claims, as refs', async () => {
    const { server, client } = setup()
    const release = server.hold()
    const auth = useAuthIn(client)
    expect(values(auth)).toEqual({ isLoading: true, isAuthenticated: false, claims: undefined, error: undefined })

    release()
    await client.restore()
    const state = client.getState()
    expect(values(auth)).toMatchObject({ isLoading: false, isAuthenticated: true, error: undefined })
    expect(auth.claims.value).toBe(state.status === 'authenticated' ? state.claims : 'not authenticated')
    expect(auth.claims.value?.role).toBe('admin')
  })

  it('is neither loading nor authenticated after logout, with no claims', async () => {
    const { client } = setup()
    const auth = useAuthIn(client)
    await client.restore()

    await client.logout()
    expect(values(auth)).toEqual({ isLoading: false, isAuthenticated: false, claims: undefined, error: undefined })
  })

  it('gives the error of a failed restore while it is still loading (retrying)', () => {
    const failure = new AuthError('network', { endpoint: 'refresh' })
    const stand = createStateClient({ status: 'unknown', error: failure })
    const auth = useAuthIn(stand.client)
    expect(values(auth)).toEqual({ isLoading: true, isAuthenticated: false, claims: undefined, error: failure })

    stand.set({ status: 'unauthenticated', reason: 'no_session' })
    expect(auth.error.value).toBeUndefined()
  })

  it('exposes derived refs that components cannot overwrite', () => {
    const { client } = setup()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const auth = useAuthIn(client)

    ;(auth.isLoading as { value: unknown }).value = false
    ;(auth.claims as { value: unknown }).value = { sub: 'intruder' }
    expect(values(auth)).toMatchObject({ isLoading: true, claims: undefined })
  })

  it('gives every component of the app the same state ref', () => {
    const { client } = setup()
    const refs: unknown[] = []
    const Probe = defineComponent({
      setup() {
        refs.push(useAuth().state, useAuth().state)
        return () => h('p')
      },
    })
    mountWith(client, Probe)

    expect(refs).toHaveLength(2)
    expect(refs[0]).toBe(refs[1])
  })

  it('holds the client state object itself, not a copy', async () => {
    const { client } = setup()
    let auth!: ReturnType<typeof useAuth>
    mountWith(client, defineComponent({ setup: () => ((auth = useAuth()), () => h('p')) }))
    await client.restore()

    expect(auth.state.value).toBe(client.getState())
    expect(auth.client).toBe(client)
  })

  it('exposes a state that components cannot overwrite', async () => {
    const { client } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let auth!: ReturnType<typeof useAuth>
    mountWith(client, defineComponent({ setup: () => ((auth = useAuth()), () => h('p')) }))

    ;(auth.state as { value: unknown }).value = { status: 'unauthenticated' }
    expect(auth.state.value).toEqual({ status: 'unknown' })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('target is readonly'), expect.anything())
  })

  it('stops listening to the client when the app unmounts', () => {
    const { client } = setup()
    const liveSubscriptions = countSubscriptions(client)
    const wrapper = mountWith(client)
    expect(liveSubscriptions()).toBe(1)

    wrapper.unmount()
    expect(liveSubscriptions()).toBe(0)
  })

  it('stays loading with the error when restore fails, and reports it on the error event', async () => {
    const server = createStubServer()
    server.fail()
    const client = createTestClient(server, { retries: 0 })
    const failed = new Promise((resolve) => client.on('error', resolve))
    const auth = useAuthIn(client)

    expect(await failed).toMatchObject({ name: 'AuthError', code: 'network' })
    await flushPromises()
    expect(values(auth)).toMatchObject({ isLoading: true, isAuthenticated: false, error: await failed })
  })

  it('throws a clear error when useAuth is called outside an app with the plugin', () => {
    expect(() => useAuth()).toThrow('useAuth must be used inside an app that installed createAuthPlugin(client)')
  })

  it('throws a clear error when a component of an app without the plugin calls useAuth', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => mount(Status)).toThrow('useAuth must be used inside an app that installed createAuthPlugin(client)')
  })
})

describe('useAccessToken', () => {
  function tokenIn(client: AuthClient<any>) {
    let token!: ReturnType<typeof useAccessToken>
    mountWith(client, defineComponent({ setup: () => ((token = useAccessToken()), () => h('p')) }))
    return token
  }

  it('gives the access token as a ref, then null after logout', async () => {
    const { server, client } = setup()
    const token = tokenIn(client)
    expect(token.value).toBeNull()

    await client.restore()
    await flushPromises()
    expect(token.value).toBe(server.tokens[0])

    const loggingOut = client.logout()
    expect(token.value).toBeNull() // at once, not after Vue's next flush
    await loggingOut
  })

  it('gives the new token after a refresh', async () => {
    const { server, client } = setup()
    const token = tokenIn(client)
    await client.restore()

    await client.refresh()
    await flushPromises()
    expect(server.tokens).toHaveLength(2)
    expect(token.value).toBe(server.tokens[1])
  })

  it('is a ref that components cannot overwrite', async () => {
    const { client } = setup()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const token = tokenIn(client)
    await client.restore()
    await flushPromises()
    const current = token.value

    ;(token as { value: unknown }).value = 'forged'
    expect(token.value).toBe(current)
  })

  it('throws a clear error when called outside an app with the plugin', () => {
    expect(() => useAccessToken()).toThrow(
      'useAccessToken must be used inside an app that installed createAuthPlugin(client)',
    )
  })
})

describe('createAuthGuard', () => {
  const Page = (name: string) => defineComponent({ name, setup: () => () => h('p', name) })

  function routerWith(client: AuthClient<any>, options: Partial<AuthGuardOptions<RouteLocationRaw>> = {}) {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: Page('home') },
        { path: '/login', component: Page('login') },
        { path: '/account', component: Page('account'), meta: { requiresAuth: true } },
        { path: '/open', component: Page('open') },
      ],
    })
    router.beforeEach(createAuthGuard({ redirectTo: '/login', ...options }))
    const wrapper = mount(RouterView, { global: { plugins: [createAuthPlugin(client), router] } })
    return { router, wrapper, path: () => router.currentRoute.value.fullPath }
  }

  it('waits for the first restore, then lets a signed-in user in', async () => {
    const { server, client } = setup()
    const release = server.hold()
    const { router, path } = routerWith(client)
    let arrived = false
    const navigation = router.push('/account').then(() => (arrived = true))
    await flushPromises()
    expect(arrived).toBe(false)

    release()
    await navigation
    expect(path()).toBe('/account')
  })

  it('sends a user without a session to redirectTo', async () => {
    const { server, client } = setup()
    server.signOut()
    const { router, path, wrapper } = routerWith(client)

    await router.push('/account')
    expect(path()).toBe('/login')
    expect(wrapper.text()).toBe('login')
  })

  it('passes the wanted route to a redirectTo function', async () => {
    const { server, client } = setup()
    server.signOut()
    const { router } = routerWith(client, {
      redirectTo: (to: GuardRoute) => ({ path: '/login', query: { next: to.fullPath } }),
    })

    await router.push('/account?tab=keys')
    expect(router.currentRoute.value).toMatchObject({ path: '/login', query: { next: '/account?tab=keys' } })
  })

  it('lets anyone into a route that does not require auth, without waiting for restore', async () => {
    const { server, client } = setup()
    server.hold()
    const { router, path } = routerWith(client)

    await router.push('/open')
    expect(path()).toBe('/open')
    expect(client.getState().status).toBe('unknown')
  })

  it('guards the routes that isProtected picks instead of meta.requiresAuth', async () => {
    const { server, client } = setup()
    server.signOut()
    const { router, path } = routerWith(client, { isProtected: (to) => to.fullPath === '/open' })

    await router.push('/account')
    expect(path()).toBe('/account')
    await router.push('/open')
    expect(path()).toBe('/login')
  })

  it('sends a user whose restore failed to redirectTo, where the error can be shown', async () => {
    const failure = new AuthError('network', { endpoint: 'refresh' })
    const stand = createStateClient({ status: 'unknown', error: failure })
    stand.client.restore = () => Promise.reject(failure)
    const { router, path } = routerWith(stand.client)

    await router.push('/account')
    expect(path()).toBe('/login')
  })

  it('moves to redirectTo when the session ends on an open protected route', async () => {
    const { client } = setup()
    const { router, path } = routerWith(client)
    await router.push('/account')

    await client.logout()
    await flushPromises()
    expect(path()).toBe('/login')
  })

  it('stays on an open route that is not protected when the session ends', async () => {
    const { client } = setup()
    const { router, path } = routerWith(client)
    await router.push('/account')
    await router.push('/open')

    await client.logout()
    await flushPromises()
    expect(path()).toBe('/open')
  })

  it('stops following the session when the app unmounts', async () => {
    const { client } = setup()
    const liveSubscriptions = countSubscriptions(client)
    const { router, wrapper } = routerWith(client)
    await router.push('/account')
    expect(liveSubscriptions()).toBe(2)

    wrapper.unmount()
    expect(liveSubscriptions()).toBe(0)
  })

  it('imports nothing but vue at run time: no router', () => {
    const source = readFileSync(`${import.meta.dirname}/../src/vue.ts`, 'utf8')
    const imports = [...source.matchAll(/^import (?!type )[^']*'([^']+)'/gm)].map((match) => match[1])
    expect(imports.filter((specifier) => !specifier?.startsWith('./'))).toEqual(['vue'])
  })

  it('fails the navigation with a clear error when the app has no auth plugin', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/account', component: Page('account'), meta: { requiresAuth: true } }],
    })
    router.beforeEach(createAuthGuard({ redirectTo: '/login' }))
    mount(RouterView, { global: { plugins: [router] } })

    await expect(router.push('/account')).rejects.toThrow(
      'createAuthGuard must be used inside an app that installed createAuthPlugin(client)',
    )
  })
})
