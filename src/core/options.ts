// Options resolved once: defaults, absolute endpoint URLs, and cross-tab parts only in a browser page (SSR-safe).
import type { AuthEndpointName } from './errors.js'
import { parseTokenResponse } from './token.js'
import type { AuthOptions, ChannelLike, LockManagerLike, TokenResponse } from './types.js'

export interface ResolvedOptions {
  urls: Record<AuthEndpointName, string>
  baseOrigin: string
  allowedOrigins: ReadonlyArray<string | RegExp>
  refreshLeeway?: number
  authHeaders: Record<string, string>
  key: string
  locks: LockManagerLike | null
  channel: ((name: string) => ChannelLike) | null
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
  const urls = {} as Record<AuthEndpointName, string>
  for (const name of ['login', 'refresh', 'logout'] as const) {
    const path = options.endpoints?.[name] ?? `/auth/${name}`
    urls[name] = /^https?:\/\//i.test(path) ? path : baseUrl + path
  }
  const crossTab = typeof options.crossTab === 'object' ? options.crossTab : {}
  // Only in a page: Node has a BroadcastChannel too, and an open one keeps the process alive.
  const isPage = options.crossTab !== false && typeof document !== 'undefined'
  return {
    ...options,
    urls,
    baseOrigin: URL.canParse(baseUrl) ? new URL(baseUrl).origin : 'null',
    allowedOrigins: options.allowedOrigins ?? [],
    authHeaders: options.authHeaders ?? { 'X-Requested-With': 'XMLHttpRequest' },
    key: crossTab.key ?? `tokenkeeper:${urls.refresh}`,
    locks:
      crossTab.locks !== undefined ? crossTab.locks : isPage ? ((navigator.locks as LockManagerLike) ?? null) : null,
    channel:
      crossTab.channel !== undefined
        ? crossTab.channel
        : isPage && typeof BroadcastChannel === 'function'
          ? (name) => new BroadcastChannel(name)
          : null,
    parseTokenResponse: options.parseTokenResponse ?? parseTokenResponse,
    // Looked up at call time, so a fetch stubbed after creation is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 10_000,
    retries: options.retries ?? 3,
    now: options.now ?? (() => Date.now()),
    random: options.random ?? (() => Math.random()),
  }
}
