import { act, cleanup, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthClient } from '../src/index.ts'
import { AuthProvider, useAccessToken, useAuth } from '../src/react.ts'
import {
  countSubscriptions,
  createStubServer,
  createTestClient,
  destroyTestClients,
  type TestClaims,
} from './helpers/fake-client.ts'

afterEach(() => {
  cleanup()
  destroyTestClients()
  vi.restoreAllMocks()
})

// StrictMode at the root: React 19 double-runs effects on mount only under a root-level
// <StrictMode>, not under one nested in a `wrapper` component.
function strictProvider(client: AuthClient<any>) {
  const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={client}>{children}</AuthProvider>
  return { wrapper, reactStrictMode: true }
}

function Status() {
  const { state } = useAuth<TestClaims>()
  return <p>{state.status === 'authenticated' ? `authenticated as ${state.claims.sub}` : state.status}</p>
}

function Token() {
  return <p>token: {useAccessToken() ?? 'none'}</p>
}

function setup() {
  const server = createStubServer()
  const client = createTestClient(server)
  return { server, client, options: strictProvider(client) }
}

describe('AuthProvider and useAuth', () => {
  it('renders unknown until the refresh answers, then authenticated', async () => {
    const { server, client, options } = setup()
    const release = server.hold()
    render(<Status />, options)
    expect(screen.getByText('unknown')).toBeDefined()

    await act(async () => {
      release()
      await client.restore()
    })
    expect(screen.getByText('authenticated as user-1')).toBeDefined()
  })

  it('renders unauthenticated after logout', async () => {
    const { client, options } = setup()
    render(<Status />, options)
    await act(() => client.restore())

    await act(() => client.logout())
    expect(screen.getByText('unauthenticated')).toBeDefined()
  })

  it('renders unauthenticated when there is no session cookie', async () => {
    const { server, client, options } = setup()
    server.signOut()
    render(<Status />, options)

    await act(() => client.restore())
    expect(screen.getByText('unauthenticated')).toBeDefined()
  })

  it('restores once, with one refresh call, across a StrictMode double mount', async () => {
    const { server, client, options } = setup()
    const restore = vi.spyOn(client, 'restore')
    render(<Status />, options)
    await act(() => restore.mock.results[0]?.value)

    expect(restore).toHaveBeenCalledTimes(1)
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('does not restore again when a provider with the same client remounts', async () => {
    const { server, client, options } = setup()
    const restore = vi.spyOn(client, 'restore')
    render(<Status />, options).unmount()
    await act(() => restore.mock.results[0]?.value)

    render(<Status />, options)
    await act(async () => {})
    expect(restore).toHaveBeenCalledTimes(1)
    expect(server.count('/auth/refresh')).toBe(1)
    expect(screen.getByText('authenticated as user-1')).toBeDefined()
  })

  it('unsubscribes from the client on unmount', async () => {
    const { client, options } = setup()
    const liveSubscriptions = countSubscriptions(client)
    const { unmount } = render(<Status />, options)
    expect(liveSubscriptions()).toBe(1)

    unmount()
    expect(liveSubscriptions()).toBe(0)
  })

  it('returns the same object while the state and the client are unchanged', async () => {
    const { client, options } = setup()
    await client.restore()
    const { result, rerender } = renderHook(() => useAuth(), options)
    const first = result.current

    rerender()
    expect(result.current).toBe(first)
    expect(first.state).toBe(client.getState())
  })

  it('keeps the unknown state and reports through the error event when restore fails', async () => {
    const server = createStubServer()
    server.fail()
    const client = createTestClient(server, { retries: 0 })
    const failed = new Promise((resolve) => client.on('error', resolve))
    render(<Status />, strictProvider(client))

    await act(() => failed)
    expect(await failed).toMatchObject({ name: 'AuthError', code: 'network' })
    expect(screen.getByText('unknown')).toBeDefined()
  })

  it('renders the unknown state on the server without calling restore', async () => {
    const { server, client } = setup()
    await client.restore()

    const html = renderToString(
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>,
    )
    expect(html).toBe('<p>unknown</p>')
    expect(server.count('/auth/refresh')).toBe(1)
  })

  it('throws a clear error when useAuth is used outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Status />)).toThrow('useAuth must be used inside <AuthProvider>')
  })
})

describe('useAccessToken', () => {
  it('returns the access token, then null after logout', async () => {
    const { server, client, options } = setup()
    render(<Token />, options)
    expect(screen.getByText('token: none')).toBeDefined()

    await act(() => client.restore())
    expect(screen.getByText(`token: ${server.tokens[0]}`)).toBeDefined()

    await act(() => client.logout())
    expect(screen.getByText('token: none')).toBeDefined()
  })

  it('returns the new token after a refresh', async () => {
    const { server, client, options } = setup()
    render(<Token />, options)
    await act(() => client.restore())

    await act(() => client.refresh())
    expect(server.tokens).toHaveLength(2)
    expect(screen.getByText(`token: ${server.tokens[1]}`)).toBeDefined()
  })

  it('throws a clear error when used outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Token />)).toThrow('useAccessToken must be used inside <AuthProvider>')
  })
})
