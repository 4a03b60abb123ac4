// The TanStack Query recipe (docs/recipes/tanstack-query.ts) against the real QueryClient
// of @tanstack/query-core and a real client talking to the fake auth server.
import { QueryClient, QueryObserver, type QueryObserverResult } from '@tanstack/query-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  authQuery,
  clearCacheOnSessionChange,
  HttpError,
  retryWhileSignedIn,
} from '../../docs/recipes/tanstack-query.ts'
import { createAuthClient, type AuthClient } from '../../src/index.ts'
import { createFakeAuthServer, json, type FakeAuthServer } from '../helpers/fake-auth-server.ts'
import { makeToken } from '../helpers/make-jwt.ts'

const ME = 'https://app.test/api/me'
let server: FakeAuthServer
let auth: AuthClient
let queryClient: QueryClient
let stopSync: () => void

beforeEach(async () => {
  server = createFakeAuthServer()
  // /api/flaky answers 503 twice, then goes to the fake API like every other path.
  let flaky = 0
  const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).endsWith('/api/flaky') && flaky++ < 2 ? Promise.resolve(json({}, 503)) : server.fetch(input, init)
  auth = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch })
  queryClient = new QueryClient({
    defaultOptions: { queries: { retry: retryWhileSignedIn(auth), retryDelay: 0 } },
  })
  stopSync = clearCacheOnSessionChange(auth, queryClient)
  await auth.restore() // the stub browser has a refresh cookie: signed in as user-1
})

afterEach(() => {
  stopSync()
  queryClient.clear()
  auth.destroy()
})

/** Resolves once the client's listeners were told of its next state. */
function nextState(): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = auth.subscribe(() => {
      unsubscribe()
      resolve()
    })
  })
}

/** What a mounted useQuery does: observe the query until it settles (with retries). */
function observe(url: string): Promise<QueryObserverResult> {
  const observer = new QueryObserver(queryClient, { queryKey: [url], queryFn: authQuery(auth, url) })
  return new Promise((resolve) => {
    const unsubscribe = observer.subscribe((result) => {
      if (result.status === 'pending' || result.fetchStatus === 'fetching') return
      unsubscribe()
      resolve(result)
    })
  })
}

describe('authQuery', () => {
  it('sends the query through auth.fetch with the Bearer header', async () => {
    const data = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: authQuery(auth, ME) })
    expect(data).toEqual({ ok: true, path: '/api/me', body: null })
    const call = server.calls.findLast((call) => call.path === '/api/me')
    expect(call?.headers.get('authorization')).toBe(`Bearer ${server.currentToken}`)
  })

  it('turns a non-2xx answer into an HttpError with its status', async () => {
    server.signOut()
    await auth.logout()
    const failure = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: authQuery(auth, ME) }).catch((e) => e)
    expect(failure).toBeInstanceOf(HttpError)
    expect(failure).toMatchObject({ status: 401, url: ME })
  })
})

describe('clearCacheOnSessionChange', () => {
  it('empties the cache on logout', async () => {
    await queryClient.fetchQuery({ queryKey: ['me'], queryFn: authQuery(auth, ME) })
    await auth.logout()
    expect(queryClient.getQueryData(['me'])).toBeUndefined()
  })

  it('empties the cache when another user signs in (sub changes)', async () => {
    await queryClient.fetchQuery({ queryKey: ['me'], queryFn: authQuery(auth, ME) })
    auth.setAccessToken(makeToken(300, Date.now(), { sub: 'user-2' }))
    expect(queryClient.getQueryData(['me'])).toBeUndefined()
  })

  it('names the user with userOf, for tokens without a sub of their own (Directus: id)', async () => {
    stopSync()
    stopSync = clearCacheOnSessionChange(auth, queryClient, (claims) => (claims as { id?: string }).id)
    const adopted = nextState()
    auth.setAccessToken(makeToken(300, Date.now(), { id: 'a' }))
    await adopted // its listeners have run: what is cached from now on is user a's
    queryClient.setQueryData(['me'], { user: 'a' })
    auth.setAccessToken(makeToken(300, Date.now(), { id: 'b' })) // same sub, another id
    expect(queryClient.getQueryData(['me'])).toBeUndefined()
  })

  it('keeps the cache when the same user gets a new token', async () => {
    await queryClient.fetchQuery({ queryKey: ['me'], queryFn: authQuery(auth, ME) })
    await auth.refresh()
    expect(server.count('/auth/refresh')).toBe(2) // restore + this refresh
    expect(queryClient.getQueryData(['me'])).toEqual({ ok: true, path: '/api/me', body: null })
  })
})

describe('retryWhileSignedIn', () => {
  // The retry rule alone: the cache sync would cancel the query when the session ends.
  beforeEach(() => stopSync())

  it('does not retry a 401 once the session ended', async () => {
    server.signOut() // the refresh cookie is gone: the server ends the session
    server.revokeCurrentToken() // and the API refuses the token we hold
    const result = await observe(ME)
    expect(result.status).toBe('error')
    expect(result.failureCount).toBe(1)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated' })
    // One query attempt: auth.fetch's request, its refresh (refused), nothing after.
    expect(server.count('/api/me')).toBe(1)
  })

  it('still retries a server error while the session lives', async () => {
    const result = await observe('https://app.test/api/flaky')
    expect(result.status).toBe('success')
    expect(result.failureCount).toBe(0) // reset on success, after two failed attempts
    expect(server.count('/api/flaky')).toBe(1) // the 503s never reached the fake API
  })
})
