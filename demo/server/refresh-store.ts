import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AccessTokenLedger } from './access-tokens.ts'
import { createExpiringMap } from './expiring-map.ts'

/**
 * Refresh tokens: single use, rotated on every refresh, grouped in one family per login.
 *
 * No token is stored. The token of generation n of a family is `family.n.HMAC(secret, family.n)`,
 * so the store keeps only each family's state (its current generation and times): a leak of
 * the store reveals nothing that can be presented as a cookie, a spent token is recognised by
 * its generation (no record per spent token), and the child of a token can be computed again,
 * which is what the grace needs.
 *
 * Grace (nhost#220, ory/hydra#1831): the answer to a refresh can be lost after the server
 * rotated (a reload, a closed tab, a timeout retry). The parent presented again within
 * `graceMs` of its rotation, while its child is still unused, gets the SAME child again, so
 * answers arriving in any order leave the cookie jar consistent. Once the child was used, or
 * after the grace, the parent is reuse: either the user or a thief holds a stale copy and the
 * server cannot tell which, so the whole family is revoked.
 */
export type RefreshFailure = 'missing' | 'expired' | 'revoked' | 'reused' | 'session_limit'

export type Grant =
  | { ok: true; outcome: 'rotated' | 'replayed'; token: string; sub: string; family: string; expiresAt: number }
  | { ok: false; reason: RefreshFailure }

export interface RefreshStore {
  /** Starts a family for a new login and returns its first token. */
  create(sub: string): { token: string; family: string; expiresAt: number }
  /**
   * Refreshes with the cookie values presented (several when a cookie of the same name was
   * planted, e.g. by a sibling subdomain). The first usable one wins and the others are
   * ignored, so a bad duplicate never costs the user the good one.
   */
  refresh(tokens: readonly string[]): Grant
  /** Revokes the family of every token (spent or not) and deny-lists its live access tokens. */
  revoke(tokens: readonly string[]): void
  /** Remembers an access token issued to the family, so revoking the family can deny-list it. */
  recordAccessToken(family: string, jti: string, expiresAt: number): void
  counts(): { refreshTokens: number; families: number }
  sweep(limit: number): number
}

interface Family {
  sub: string
  /** The generation of the one unspent token. */
  generation: number
  /** When the previous generation was spent. */
  rotatedAt: number
  /** When the unspent token expires; the record goes with it. */
  expiresAt: number
  /** The session's absolute end, whatever the rotations. */
  deadline: number
  revoked: boolean
}

type Verdict =
  { kind: 'rotate' | 'replay' | 'reuse'; id: string; family: Family } | { kind: 'fail'; reason: RefreshFailure }

// When no cookie is usable, the most telling reason is reported.
const SEVERITY: RefreshFailure[] = ['reused', 'session_limit', 'revoked', 'expired']

export interface RefreshStoreOptions {
  now: () => number
  secret: Uint8Array
  ttlMs: number
  graceMs: number
  sessionLifetimeMs: number
  accessTokens: AccessTokenLedger
}

export function createRefreshStore(options: RefreshStoreOptions): RefreshStore {
  const { now, secret, ttlMs, graceMs, sessionLifetimeMs, accessTokens } = options
  let revokedFamilies = 0
  const families = createExpiringMap<string, Family>({
    now,
    onExpire: (_id, family) => void (family.revoked && revokedFamilies--),
  })
  const mint = (id: string, generation: number) => `${id}.${generation}.${mac(secret, id, generation)}`

  function inspect(token: string): Verdict {
    const parsed = parseToken(secret, token)
    const family = parsed && families.get(parsed.id)
    // Never issued, or dropped once it expired: the two cannot be told apart.
    if (!parsed || !family) return { kind: 'fail', reason: 'expired' }
    if (family.revoked) return { kind: 'fail', reason: 'revoked' }
    if (now() >= family.deadline) return { kind: 'fail', reason: 'session_limit' }
    const { id, generation } = parsed
    if (generation === family.generation) return { kind: 'rotate', id, family }
    const inGrace = generation === family.generation - 1 && now() - family.rotatedAt < graceMs
    return { kind: inGrace ? 'replay' : 'reuse', id, family }
  }

  function revokeFamily(id: string, family: Family): void {
    if (!family.revoked) revokedFamilies++
    family.revoked = true
    accessTokens.revokeFamily(id)
  }

  function grant(kind: 'rotate' | 'replay', id: string, family: Family): Grant {
    if (kind === 'rotate') {
      family.generation++
      family.rotatedAt = now()
      family.expiresAt = now() + ttlMs
      families.set(id, family, family.expiresAt)
    }
    const outcome = kind === 'rotate' ? 'rotated' : 'replayed'
    const { sub, expiresAt } = family
    return { ok: true, outcome, token: mint(id, family.generation), sub, family: id, expiresAt }
  }

  return {
    create(sub) {
      const id = randomBytes(16).toString('base64url')
      const expiresAt = now() + ttlMs
      const deadline = now() + sessionLifetimeMs
      families.set(id, { sub, generation: 0, rotatedAt: -Infinity, expiresAt, deadline, revoked: false }, expiresAt)
      return { token: mint(id, 0), family: id, expiresAt }
    },
    refresh(tokens) {
      if (tokens.length === 0) return { ok: false, reason: 'missing' }
      const verdicts = tokens.map(inspect)
      const usable = verdicts.find((verdict) => verdict.kind === 'rotate' || verdict.kind === 'replay')
      if (usable && usable.kind !== 'fail' && usable.kind !== 'reuse')
        return grant(usable.kind, usable.id, usable.family)
      const reasons = verdicts.map((verdict) => {
        if (verdict.kind === 'fail') return verdict.reason
        revokeFamily(verdict.id, verdict.family)
        return 'reused'
      })
      return { ok: false, reason: SEVERITY.find((reason) => reasons.includes(reason))! }
    },
    revoke(tokens) {
      for (const token of tokens) {
        const parsed = parseToken(secret, token)
        const family = parsed && families.get(parsed.id)
        if (parsed && family) revokeFamily(parsed.id, family)
      }
    },
    recordAccessToken(id, jti, expiresAt) {
      accessTokens.record(id, jti, expiresAt)
      // The family can be revoked while its token was being signed (a concurrent reuse).
      const family = families.get(id)
      if (family?.revoked) accessTokens.revokeFamily(id)
    },
    counts: () => ({ refreshTokens: families.size - revokedFamilies, families: families.size }),
    sweep: (limit) => families.sweep(limit) + accessTokens.sweep(limit),
  }
}

function mac(secret: Uint8Array, id: string, generation: number): string {
  return createHmac('sha256', secret).update(`${id}.${generation}`).digest('base64url')
}

function parseToken(secret: Uint8Array, token: string): { id: string; generation: number } | undefined {
  const [id, counter, signature, ...rest] = token.split('.')
  if (!id || !counter || !signature || rest.length > 0 || !/^(0|[1-9]\d{0,8})$/.test(counter)) return undefined
  const generation = Number(counter)
  const expected = Buffer.from(mac(secret, id, generation))
  const actual = Buffer.from(signature)
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { id, generation } : undefined
}
