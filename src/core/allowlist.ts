/**
 * Decides who may receive the Bearer header: baseUrl's origin and the allowed
 * origins, nothing else. An empty list means "only baseUrl", never "all".
 */
const NOT_A_PATH = new Set(['/', '\\', '\t', '\n', '\r'])

export function createOriginCheck(baseOrigin: string, allowed: ReadonlyArray<string | RegExp>) {
  const exact = new Set([baseOrigin])
  const patterns: RegExp[] = []
  for (const entry of allowed) {
    if (typeof entry === 'string') exact.add(new URL(entry).origin)
    else patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')))
  }
  exact.delete('null')

  let cachedBase: string | undefined
  let cachedBaseOrigin = 'null'

  // Same-document paths ('/api/x') are most requests: skip URL parsing for them.
  // '//host', '/\host' and '/<tab>/host' are not paths: URL parsing drops tabs
  // and newlines and reads a second slash or backslash as another host.
  function pageOrigin(): string {
    const base = globalThis.document?.baseURI ?? globalThis.location?.href
    if (base !== cachedBase) {
      cachedBase = base
      cachedBaseOrigin = originOf(base)
    }
    return cachedBaseOrigin
  }

  function originOf(url: string | undefined, base?: string): string {
    if (url === undefined) return 'null'
    try {
      return new URL(url, base).origin
    } catch {
      return 'null'
    }
  }

  function requestOrigin(input: RequestInfo | URL): string {
    if (typeof input !== 'string') return input instanceof URL ? input.origin : originOf(input.url)
    if (input[0] === '/' && !NOT_A_PATH.has(input[1]!)) return pageOrigin()
    const base = globalThis.document?.baseURI ?? globalThis.location?.href
    return base === undefined ? originOf(input) : originOf(input, base)
  }

  return function isAllowed(input: RequestInfo | URL): boolean {
    const origin = requestOrigin(input)
    if (origin === 'null') return false
    return exact.has(origin) || patterns.some((pattern) => pattern.test(origin))
  }
}
