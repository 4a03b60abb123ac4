// Bearer for baseUrl's origin and the allowed ones only; an empty list is never "all" (okta-oidc-js PR #229).
// '//host', '/\host' and '/<tab>/host' are not paths: URL parsing drops tabs
// and newlines and reads a second slash or backslash as the start of a host.
const NOT_A_PATH = new Set(['/', '\\', '\t', '\n', '\r'])
// After a full origin, these (or the end) mean the origin is complete.
const ORIGIN_END = new Set(['/', '?', '#', undefined])

/**
 * Decides who may receive the Bearer header: baseUrl's origin and the allowed
 * origins, nothing else. An empty list means "only baseUrl", never "all".
 */
export function createOriginCheck(baseOrigin: string, allowed: ReadonlyArray<string | RegExp>) {
  const exact = [baseOrigin]
  const patterns: RegExp[] = []
  for (const entry of allowed) {
    if (typeof entry === 'string') exact.push(new URL(entry).origin)
    else patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')))
  }
  let cachedBase: string | undefined
  let cachedBaseOrigin = 'null'
  const isAllowedOrigin = (origin: string) =>
    origin !== 'null' && (exact.includes(origin) || patterns.some((pattern) => pattern.test(origin)))

  // Most requests start with an allowed origin or are same-document paths:
  // both are answered without parsing a URL.
  function isAllowedUrl(url: string): boolean {
    for (const origin of exact) if (url.startsWith(origin) && ORIGIN_END.has(url[origin.length])) return true
    const base = globalThis.document?.baseURI ?? globalThis.location?.href
    if (url[0] !== '/' || NOT_A_PATH.has(url[1]!)) return isAllowedOrigin(parse(url, base))
    if (base !== cachedBase) cachedBaseOrigin = parse((cachedBase = base))
    return isAllowedOrigin(cachedBaseOrigin)
  }

  return function isAllowed(url: string | URL): boolean {
    return typeof url === 'string' ? isAllowedUrl(url) : isAllowedOrigin(url.origin)
  }
}

function parse(url: string | undefined, base?: string): string {
  try {
    return new URL(url!, base).origin
  } catch {
    return 'null'
  }
}
