// Not a fake client: a real one (createAuthClient) whose fetch is a stub of the auth server.
import { createAuthClient, type AuthClient, type AuthOptions, type JwtPayload } from '../../src/index.ts'
import { createFakeAuthServer } from './fake-auth-server.ts'

export interface TestClaims extends JwtPayload {
  sub: string
  role: 'admin' | 'user'
}

/**
 * The shared fake auth server (test/helpers/fake-auth-server.ts), issuing tokens
 * with TestClaims, and a `hold()` that keeps the next refresh waiting.
 */
export function createStubServer() {
  const server = createFakeAuthServer({ claims: { role: 'admin' } })
  return {
    fetch: server.fetch,
    count: server.count,
    /** Every token issued, oldest first. */
    tokens: server.issued,
    /** The next refresh waits until the returned function is called. */
    hold(): () => void {
      const gate = server.holdRefresh()
      return () => gate.resolve(true)
    },
    signOut: server.signOut,
    fail: server.goOffline,
  }
}

export type StubServer = ReturnType<typeof createStubServer>

const clients: AuthClient<any>[] = []

/** A real client on `https://app.test`, without cross-tab coordination, talking to `server`. */
export function createTestClient(server: StubServer, options: AuthOptions = {}): AuthClient<TestClaims> {
  const client = createAuthClient<TestClaims>({
    baseUrl: 'https://app.test',
    crossTab: false,
    fetch: server.fetch,
    ...options,
  })
  clients.push(client)
  return client
}

/** For afterEach: destroys every client created since the last call. */
export function destroyTestClients(): void {
  for (const client of clients.splice(0)) client.destroy()
}

/** Counts live subscriptions to `client` (subscribe minus unsubscribe). */
export function countSubscriptions(client: AuthClient<any>): () => number {
  let live = 0
  const subscribe = client.subscribe
  client.subscribe = (listener) => {
    const unsubscribe = subscribe(listener)
    live++
    let done = false
    return () => {
      if (!done) live--
      done = true
      unsubscribe()
    }
  }
  return () => live
}
