import type { AuthEndpointName } from './errors.js'
import { parseTokenResponse } from './token.js'
import type { AuthOptions, ChannelLike, LockManagerLike, TokenResponse } from './types.js'

export interface ResolvedOptions {
  urls: Record<AuthEndpointName, string>
  baseOrigin: string
  allowedOrigins: ReadonlyArray<string | RegExp>
  refreshLeeway: number | undefined
  authHeaders: Record<string, string>
  crossTab: { key: string; locks: LockManagerLike | null; channel: ((name: string) => ChannelLike) | null }
  parseTokenResponse: (body: any) => TokenResponse
  fetch: typeof fetch
  timeout: number
  retries: number
  now: () => number
  random: () => number
}

export function resolveOptions(options: AuthOptions): ResolvedOptions {
  // Outside a browser (SSR) without baseUrl nothing throws: nothing runs there until a method is called.
  const baseUrl = (options.baseUrl ?? globalThis.location?.origin ?? '').replace(/\/+$/, '')
  const endpoint = (path: string) => (/^https?:\/\//i.test(path) ? path : baseUrl + path)
  const urls = {
    login: endpoint(options.endpoints?.login ?? '/auth/login'),
    refresh: endpoint(options.endpoints?.refresh ?? '/auth/refresh'),
    logout: endpoint(options.endpoints?.logout ?? '/auth/logout'),
  }
  return {
    urls,
    baseOrigin: URL.canParse(baseUrl) ? new URL(baseUrl).origin : 'null',
    allowedOrigins: options.allowedOrigins ?? [],
    refreshLeeway: options.refreshLeeway,
    authHeaders: options.authHeaders ?? { 'X-Requested-With': 'XMLHttpRequest' },
    crossTab: resolveCrossTab(options.crossTab, `tokenkeeper:${urls.refresh}`),
    parseTokenResponse: options.parseTokenResponse ?? parseTokenResponse,
    // Looked up at call time, so a fetch stubbed after creation is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 10_000,
    retries: options.retries ?? 3,
    now: options.now ?? (() => Date.now()),
    random: options.random ?? Math.random,
  }
}

function resolveCrossTab(option: AuthOptions['crossTab'], defaultKey: string) {
  const custom = typeof option === 'object' ? option : {}
  // Only in a page: Node has a BroadcastChannel too, and an open one keeps the process alive.
  const isPage = option !== false && typeof document !== 'undefined'
  const locks = custom.locks !== undefined ? custom.locks : isPage ? (navigator.locks as LockManagerLike) : null
  const channel =
    custom.channel !== undefined
      ? custom.channel
      : isPage && typeof BroadcastChannel === 'function'
        ? (name: string) => new BroadcastChannel(name)
        : null
  return { key: custom.key ?? defaultKey, locks: locks ?? null, channel }
}
