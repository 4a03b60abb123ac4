import { parseTokenResponse } from './refresher.js'
import type { AuthOptions, ChannelLike, LockManagerLike, TokenResponse } from './types.js'

export interface ResolvedOptions {
  urls: { login: string; refresh: string; logout: string }
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
}

export function resolveOptions(options: AuthOptions): ResolvedOptions {
  const baseUrl = (options.baseUrl ?? globalThis.location?.origin)?.replace(/\/+$/, '')
  if (!baseUrl) throw new TypeError('tokenkeeper: `baseUrl` is required outside a browser page')
  const endpoint = (path: string) => (/^https?:\/\//i.test(path) ? path : baseUrl + path)
  const urls = {
    login: endpoint(options.endpoints?.login ?? '/auth/login'),
    refresh: endpoint(options.endpoints?.refresh ?? '/auth/refresh'),
    logout: endpoint(options.endpoints?.logout ?? '/auth/logout'),
  }
  return {
    urls,
    baseOrigin: new URL(baseUrl).origin,
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
  }
}

function resolveCrossTab(option: AuthOptions['crossTab'], defaultKey: string) {
  if (option === false) return { key: defaultKey, locks: null, channel: null }
  const custom = typeof option === 'object' ? option : {}
  const locks =
    custom.locks !== undefined ? custom.locks : ((globalThis.navigator?.locks as LockManagerLike | undefined) ?? null)
  const channel =
    custom.channel !== undefined
      ? custom.channel
      : typeof BroadcastChannel === 'function'
        ? (name: string) => new BroadcastChannel(name)
        : null
  return { key: custom.key ?? defaultKey, locks, channel }
}
