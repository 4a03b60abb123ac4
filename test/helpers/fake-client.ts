// Not a fake client: a real one (createAuthClient) whose fetch is a stub of the auth server.
import { createAuthClient, type AuthClient, type AuthOptions, type JwtPayload } from '../../src/index.ts'

export interface TestClaims extends JwtPayload {
  sub: string
  role: 'admin' | 'user'
}

/** An unsigned JWT: the client decodes tokens, it cannot verify them. */
export function makeJwt(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.signature`
}

/**
 * The auth server's endpoints as a `fetch` stub: `/auth/refresh` answers a new
 * token while the session cookie is there, 401 after logout.
 */
export function createStubServer() {
  const calls: string[] = []
  const tokens: string[] = []
  let hasSession = true
  let failing = false
  let gate: Promise<void> | undefined

  const fetch: typeof globalThis.fetch = async (input) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname
    calls.push(path)
    if (path === '/auth/logout') {
      hasSession = false
      return new Response(null, { status: 204 })
    }
    if (path !== '/auth/refresh') return new Response(null, { status: 404 })
    await gate
    if (failing) throw new TypeError('Failed to fetch')
    if (!hasSession) return new Response(null, { status: 401 })
    const iat = Math.floor(Date.now() / 1000)
    const token = makeJwt({ sub: 'user-1', role: 'admin', iat, exp: iat + 300, jti: String(tokens.length) })
    tokens.push(token)
    const body = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 })
    return new Response(body, { headers: { 'Content-Type': 'application/json' } })
  }

  return {
    fetch,
    /** How many requests reached `path`. */
    count: (path: string) => calls.filter((called) => called === path).length,
    /** Every token issued, oldest first. */
    tokens,
    /** Refresh calls wait until the returned function is called. */
    hold(): () => void {
      let release!: () => void
      gate = new Promise((resolve) => (release = resolve))
      return () => {
        gate = undefined
        release()
      }
    },
    /** No session cookie: refresh answers 401. */
    signOut: () => void (hasSession = false),
    /** The network is down: fetch rejects. */
    fail: () => void (failing = true),
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
