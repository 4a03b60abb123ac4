// Refresh calls made for N concurrent requests on an expired token (target: 1).
import { createAuthClient } from 'tokenkeeper'
import { makeToken } from '../test/helpers/make-jwt.ts'

export async function benchRefreshCalls(concurrency: number): Promise<number> {
  let refreshCalls = 0
  const fetch = async (input: RequestInfo | URL) => {
    if (String(input).endsWith('/auth/refresh')) {
      refreshCalls++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return Response.json({ access_token: makeToken(60), expires_in: 60 })
    }
    return new Response(null, { status: 200 })
  }
  let skew = 0
  const auth = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch, now: () => Date.now() + skew })
  auth.setAccessToken(makeToken(60))
  skew = 61_000 // the token has expired
  const responses = await Promise.all(Array.from({ length: concurrency }, () => auth.fetch('https://app.test/api/me')))
  auth.destroy()
  if (responses.some((response) => response.status !== 200)) throw new Error('a request failed')
  return refreshCalls
}
