import { readFileSync } from 'node:fs'
import { act, cleanup, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthError, type AuthClient } from '../src/index.ts'
import { AuthProvider, RequireAuth, useAccessToken, useAuth } from '../src/react.ts'
import {
  countSubscriptions,
  createStubServer,
  createTestClient,
  destroyTestClients,
  type TestClaims,
} from './helpers/fake-client.ts'
import { createStateClient } from './helpers/state-client.ts'

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

const derived = (isLoading: boolean, isAuthenticated: boolean, claims: object | undefined) => ({
  isLoading,
  isAuthenticated,
  claims: claims && expect.objectContaining(claims),
  error: undefined,
})

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

  it('makes one refresh call across a StrictMode double mount (auth0-react PR #355)', async () => {
    const { server, client, options } = setup()
    render(<Status />, options)
    await act(() => client.restore())

    expect(server.count('/auth/refresh')).toBe(1)
    expect(screen.getByText('authenticated as user-1')).toBeDefined()
  })

  it('makes no new refresh call when a provider with the same client remounts', async () => {
    const { server, client, options } = setup()
    render(<Status />, options).unmount()
    await act(() => client.restore())

    render(<Status />, options)
    await act(async () => {})
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

  it('is loading while unknown, then authenticated with the claims', async () => {
    const { server, client, options } = setup()
    const release = server.hold()
    const { result } = renderHook(() => useAuth(), options)
    expect(result.current).toMatchObject(derived(true, false, undefined))

    await act(async () => {
      release()
      await client.restore()
    })
    expect(result.current).toMatchObject(derived(false, true, { sub: 'user-1', role: 'admin' }))
    const state = client.getState()
    expect(result.current.claims).toBe(state.status === 'authenticated' ? state.claims : 'not authenticated')
  })

  it('is neither loading nor authenticated after logout, with no claims', async () => {
    const { client, options } = setup()
    const { result } = renderHook(() => useAuth(), options)
    await act(() => client.restore())

    await act(() => client.logout())
    expect(result.current).toMatchObject(derived(false, false, undefined))
    expect(result.current.claims).toBeUndefined()
  })

  it('has no error once the session is known', () => {
    const stand = createStateClient({ status: 'unknown', error: new AuthError('network') })
    const { result } = renderHook(() => useAuth(), strictProvider(stand.client))

    act(() => stand.set({ status: 'unauthenticated', reason: 'no_session' }))
    expect(result.current).toMatchObject(derived(false, false, undefined))
    expect(result.current.error).toBeUndefined()
  })

  it('stays loading with the error when restore fails, and reports it on the error event', async () => {
    const server = createStubServer()
    server.fail()
    const client = createTestClient(server, { retries: 0 })
    const failed = new Promise((resolve) => client.on('error', resolve))
    const { result } = renderHook(() => useAuth(), strictProvider(client))

    await act(() => failed)
    expect(await failed).toMatchObject({ name: 'AuthError', code: 'network' })
    expect(result.current).toMatchObject({ isLoading: true, isAuthenticated: false })
    expect(result.current.error).toBe(await failed)
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

describe('RequireAuth', () => {
  function Guarded({ onUnauthenticated }: { onUnauthenticated: () => void }) {
    return (
      <RequireAuth fallback={<p>loading</p>} onUnauthenticated={onUnauthenticated}>
        <p>secret</p>
      </RequireAuth>
    )
  }

  it('renders the fallback while unknown, then the children once authenticated', async () => {
    const { server, client, options } = setup()
    const release = server.hold()
    const onUnauthenticated = vi.fn()
    render(<Guarded onUnauthenticated={onUnauthenticated} />, options)
    expect(screen.getByText('loading')).toBeDefined()

    await act(async () => {
      release()
      await client.restore()
    })
    expect(screen.getByText('secret')).toBeDefined()
    expect(onUnauthenticated).not.toHaveBeenCalled()
  })

  it('renders nothing and calls onUnauthenticated once when restore finds no session', async () => {
    const { server, client, options } = setup()
    server.signOut()
    const onUnauthenticated = vi.fn()
    const { container } = render(<Guarded onUnauthenticated={onUnauthenticated} />, options)

    await act(() => client.restore())
    expect(container.innerHTML).toBe('')
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
  })

  it('calls onUnauthenticated once when mounted unauthenticated under StrictMode', async () => {
    const { server, client, options } = setup()
    server.signOut()
    await client.restore()
    const onUnauthenticated = vi.fn()
    render(<Guarded onUnauthenticated={onUnauthenticated} />, options)

    await act(async () => {})
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
  })

  it('does not call onUnauthenticated again when re-rendered with a new callback', async () => {
    const { server, client, options } = setup()
    server.signOut()
    const calls: string[] = []
    const { rerender } = render(<Guarded onUnauthenticated={() => void calls.push('first')} />, options)
    await act(() => client.restore())

    rerender(<Guarded onUnauthenticated={() => void calls.push('second')} />)
    expect(calls).toEqual(['first'])
  })

  it('calls onUnauthenticated after a logout on an open page, and again after the next one', async () => {
    const { client, options } = setup()
    const onUnauthenticated = vi.fn()
    const { container } = render(<Guarded onUnauthenticated={onUnauthenticated} />, options)
    await act(() => client.restore())
    expect(screen.getByText('secret')).toBeDefined()

    await act(() => client.logout())
    expect(container.innerHTML).toBe('')
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)

    await act(() => client.login({ password: 'right' }))
    expect(screen.getByText('secret')).toBeDefined()
    await act(() => client.logout())
    expect(onUnauthenticated).toHaveBeenCalledTimes(2)
  })

  it('imports nothing but react at run time: no router', () => {
    const source = readFileSync(`${import.meta.dirname}/../src/react.ts`, 'utf8')
    const imports = [...source.matchAll(/^import (?!type )[^']*'([^']+)'/gm)].map((match) => match[1])
    expect(imports.filter((specifier) => !specifier?.startsWith('./'))).toEqual(['react'])
  })

  it('throws a clear error when used outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Guarded onUnauthenticated={() => {}} />)).toThrow(
      'RequireAuth must be used inside <AuthProvider>',
    )
  })
})
