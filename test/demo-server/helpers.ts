import type { ServerHandle } from '../../demo/server/index.ts'

export const CSRF = { 'X-Requested-With': 'XMLHttpRequest' }
export const JSON_POST = { 'Content-Type': 'application/json', ...CSRF }

export const COOKIE = '__Host-Http-refresh'

export interface Session {
  accessToken: string
  /** The `__Host-Http-refresh=…` pair to send back in a Cookie header. */
  cookie: string
}

/** The `Set-Cookie` for the refresh cookie, or undefined. */
export function refreshSetCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`))
}

/** The `name=value` pair of a response's Set-Cookie, as a browser would send it back. */
export function refreshCookiePair(response: Response): string {
  const line = refreshSetCookie(response)
  if (!line) throw new Error('no refresh cookie in the response')
  return line.split(';')[0]!
}

export function postLogin(server: ServerHandle, body: unknown = { username: 'demo', password: 'demo1234' }) {
  return fetch(`${server.url}/auth/login`, { method: 'POST', headers: JSON_POST, body: JSON.stringify(body) })
}

export async function login(server: ServerHandle, username = 'demo', password = 'demo1234'): Promise<Session> {
  const response = await postLogin(server, { username, password })
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`)
  const body = (await response.json()) as { access_token: string }
  return { accessToken: body.access_token, cookie: refreshCookiePair(response) }
}

export function postAuth(server: ServerHandle, path: 'refresh' | 'logout', cookie?: string, init: RequestInit = {}) {
  const headers = { ...CSRF, ...(cookie ? { Cookie: cookie } : {}) }
  return fetch(`${server.url}/auth/${path}`, { method: 'POST', headers, ...init })
}

/** Refreshes and returns the new session; throws unless the server answered 200. */
export async function refresh(server: ServerHandle, cookie: string): Promise<Session> {
  const response = await postAuth(server, 'refresh', cookie)
  if (response.status !== 200) throw new Error(`refresh failed: ${response.status}`)
  const body = (await response.json()) as { access_token: string }
  return { accessToken: body.access_token, cookie: refreshCookiePair(response) }
}

export function getApi(server: ServerHandle, path: string, accessToken?: string) {
  return fetch(`${server.url}${path}`, { headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {} })
}
