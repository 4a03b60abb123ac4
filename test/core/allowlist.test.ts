import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOriginCheck } from '../../src/core/allowlist.ts'

const PAGE = 'https://app.test/page'

function setPageUrl(url: string) {
  ;(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url)
}

function setBaseElement(href: string) {
  const base = document.createElement('base')
  base.href = href
  document.head.append(base)
}

beforeEach(() => {
  setPageUrl(PAGE)
})

afterEach(() => {
  document.querySelectorAll('base').forEach((base) => base.remove())
})

describe('createOriginCheck', () => {
  const isAllowed = createOriginCheck('https://app.test', ['https://api.test', /^https:\/\/[a-z]+\.cdn\.test$/])

  it('allows an absolute URL on the base origin', () => {
    expect(isAllowed('https://app.test/auth/me')).toBe(true)
  })

  it('allows an absolute URL on an allowed origin', () => {
    expect(isAllowed('https://api.test/v1/items?x=1')).toBe(true)
  })

  it.each(['https://api.test/', 'https://api.test/v1/', 'https://api.test/v1'])(
    'reduces the allowed entry %s to its origin',
    (entry) => {
      const check = createOriginCheck('https://app.test', [entry])
      expect(check('https://api.test/other')).toBe(true)
    },
  )

  it.each(['http://api.test/x', 'https://api.test:8443/x', 'https://sub.api.test/x', 'https://evil.test/x'])(
    'denies %s, which is not an exact allowed origin',
    (url) => {
      expect(isAllowed(url)).toBe(false)
    },
  )

  it('allows an origin matching a RegExp entry', () => {
    expect(isAllowed('https://img.cdn.test/a.png')).toBe(true)
  })

  it('denies an origin that does not match a RegExp entry', () => {
    expect(isAllowed('https://img.cdn.test.evil.test/a.png')).toBe(false)
  })

  it('gives the same answer twice in a row for a RegExp entry with the g flag', () => {
    const check = createOriginCheck('https://app.test', [/^https:\/\/[a-z]+\.cdn\.test$/gy])
    expect([check('https://img.cdn.test/a'), check('https://img.cdn.test/a')]).toEqual([true, true])
  })

  it('denies twice in a row for a non-matching RegExp entry with the g flag', () => {
    const check = createOriginCheck('https://app.test', [/^https:\/\/[a-z]+\.cdn\.test$/g])
    expect([check('https://evil.test/a'), check('https://evil.test/a')]).toEqual([false, false])
  })

  it.each(['/api/me', 'api/me', './me', '../me', '?q=1', '#top', ''])(
    'allows the relative URL %j, which resolves to the page origin',
    (url) => {
      expect(isAllowed(url)).toBe(true)
    },
  )

  it('denies a relative path when the page itself is on another origin', () => {
    setPageUrl('https://elsewhere.test/page')
    expect(isAllowed('/api/me')).toBe(false)
  })

  it('resolves relative paths against a <base> element', () => {
    setBaseElement('https://evil.test/')
    expect([isAllowed('/api/me'), isAllowed('api/me')]).toEqual([false, false])
  })

  it('follows document.baseURI when it changes after a first check', () => {
    expect(isAllowed('/api/me')).toBe(true)
    setBaseElement('https://evil.test/')
    expect(isAllowed('/api/me')).toBe(false)
  })

  it.each([
    '//evil.test/x',
    '/\\evil.test',
    '\\\\evil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    '/\r/evil.test',
    ' //evil.test',
    'https://app.test.evil.test/x',
    'https://app.test@evil.test/x',
    'https://app.test:@evil.test/x',
    'http:evil.test',
  ])('denies %j, which points at another host', (url) => {
    expect(isAllowed(url)).toBe(false)
  })

  it('allows a URL object on an allowed origin', () => {
    expect(isAllowed(new URL('https://api.test/x'))).toBe(true)
  })

  it('denies a URL object on another origin', () => {
    expect(isAllowed(new URL('https://evil.test/x'))).toBe(false)
  })

  it('allows a URL on an allowed origin', () => {
    expect(isAllowed(new URL('https://api.test/x'))).toBe(true)
  })

  it('denies a URL on another origin', () => {
    expect(isAllowed(new URL('https://evil.test/x'))).toBe(false)
  })

  const opaque = ['data:text/plain,hi', 'blob:https://evil.test/0b5d', 'blob:null/0b5d', 'about:blank', 'javascript:x']
  it.each(opaque)('denies %s', (url) => {
    expect(isAllowed(url)).toBe(false)
  })

  it('denies an allowed entry whose origin is opaque', () => {
    const check = createOriginCheck('https://app.test', ['data:text/plain,x'])
    expect(check('data:text/plain,x')).toBe(false)
  })

  it('denies every other origin when the list is empty', () => {
    const check = createOriginCheck('https://app.test', [])
    expect([check('https://api.test/x'), check('https://evil.test/x')]).toEqual([false, false])
  })

  it("allows baseUrl's origin when the list is empty", () => {
    const check = createOriginCheck('https://app.test', [])
    expect(check('https://app.test/x')).toBe(true)
  })

  it('allows exactly the URLs whose resolved origin is in the allowed set', () => {
    const allowed = new Set(['https://app.test', 'https://api.test'])
    const check = createOriginCheck('https://app.test', ['https://api.test'])
    const piece = fc.constantFrom(
      '/',
      '\\',
      '\t',
      '\n',
      '\r',
      ' ',
      '@',
      ':',
      '.',
      '?',
      '#',
      '%2f',
      'evil.test',
      'app.test',
      'api.test',
      'https:',
      'http:',
      'blob:',
      'x',
    )
    const tricky = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''))
    const input = fc.oneof(
      tricky,
      fc.string(),
      fc.tuple(tricky, fc.string()).map(([a, b]) => a + b),
    )
    fc.assert(
      fc.property(input, (url) => {
        let expected: boolean
        try {
          expected = allowed.has(new URL(url, document.baseURI).origin)
        } catch {
          expected = false
        }
        expect(check(url)).toBe(expected)
      }),
      { numRuns: 2_000 },
    )
  })
})
