import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import type { AuthClient } from '../src/index.ts'
import { createAuthPlugin, useAuth } from '../src/vue.ts'
import {
  countSubscriptions,
  createStubServer,
  createTestClient,
  destroyTestClients,
  type TestClaims,
} from './helpers/fake-client.ts'

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

  it('restores once, with one refresh call, however many apps install the same client', async () => {
    const { server, client } = setup()
    const restore = vi.spyOn(client, 'restore')
    mountWith(client).unmount()
    mountWith(client)
    await flushPromises()

    expect(restore).toHaveBeenCalledTimes(1)
    expect(server.count('/auth/refresh')).toBe(1)
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

  it('keeps the unknown state and reports through the error event when restore fails', async () => {
    const server = createStubServer()
    server.fail()
    const client = createTestClient(server, { retries: 0 })
    const failed = new Promise((resolve) => client.on('error', resolve))
    const wrapper = mountWith(client)

    expect(await failed).toMatchObject({ name: 'AuthError', code: 'network' })
    await flushPromises()
    expect(wrapper.text()).toBe('unknown')
  })

  it('throws a clear error when useAuth is called outside an app with the plugin', () => {
    expect(() => useAuth()).toThrow('useAuth must be used inside an app that installed createAuthPlugin(client)')
  })

  it('throws a clear error when a component of an app without the plugin calls useAuth', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => mount(Status)).toThrow('useAuth must be used inside an app that installed createAuthPlugin(client)')
  })
})
