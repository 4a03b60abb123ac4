// TanStack Query with tokenkeeper (docs/recipes.md): every query goes through auth.fetch,
// the cache never outlives the session, and a 401 is not retried once the session ended.
// Framework-agnostic: @tanstack/react-query and @tanstack/vue-query re-export QueryClient
// and take the same options. Tested in test/recipes/tanstack-query.test.ts.
import type { QueryClient, QueryFunctionContext } from '@tanstack/query-core'
import type { AuthClient, AuthState, JwtPayload } from 'tokenkeeper'

/** A non-2xx answer, with its status for the retry rule. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`${status} from ${url}`)
  }
}

/**
 * A `queryFn` that GETs JSON through `auth.fetch` (Bearer added, refreshed when due,
 * a 401 retried once) and passes the query's AbortSignal, so a cancelled query stops its request.
 * @example useQuery({ queryKey: ['me'], queryFn: authQuery(auth, '/api/me') })
 */
export function authQuery<T>(auth: AuthClient, url: string) {
  return async ({ signal }: QueryFunctionContext): Promise<T> => {
    const response = await auth.fetch(url, { signal })
    if (!response.ok) throw new HttpError(response.status, url)
    return (await response.json()) as T
  }
}

/**
 * The `retry` option for queries: never after the session ended, never a 4xx (auth.fetch
 * already refreshed and retried a 401 once: another try cannot help), else up to 3 times.
 * @example new QueryClient({ defaultOptions: { queries: { retry: retryWhileSignedIn(auth) } } })
 */
export function retryWhileSignedIn(auth: AuthClient, maxRetries = 3) {
  return (failureCount: number, error: unknown): boolean => {
    if (auth.getState().status === 'unauthenticated') return false
    if (error instanceof HttpError && error.status >= 400 && error.status < 500) return false
    return failureCount < maxRetries
  }
}

/**
 * Empties the cache when the session ends (logout here or in another tab, expiry) and
 * when another user signs in: user B never sees user A's data. A refresh of the same
 * user keeps the cache. `userOf` names the user in your claims (Directus: `id`,
 * Strapi: `userId`). Returns the unsubscribe function.
 */
export function clearCacheOnSessionChange(
  auth: AuthClient,
  queryClient: QueryClient,
  userOf: (claims: JwtPayload) => unknown = (claims) => claims.sub,
): () => void {
  // The user behind a state: undefined while unknown (restoring), null when signed out.
  const subjectOf = (state: AuthState) =>
    state.status === 'unknown' ? undefined : state.status === 'authenticated' ? (userOf(state.claims) ?? null) : null
  let current = subjectOf(auth.getState())
  return auth.subscribe((state) => {
    const next = subjectOf(state)
    if (next === undefined || next === current) return // unknown, or the same user
    const wasKnown = current !== undefined
    current = next
    if (!wasKnown) return // the first answer after page load: nothing cached belongs to anyone yet
    void queryClient.cancelQueries() // aborts their auth.fetch calls
    queryClient.clear()
  })
}
