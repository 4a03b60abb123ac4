import { createHash, randomBytes } from 'node:crypto'
import type { DenyList } from './deny-list.ts'

/**
 * Refresh tokens: opaque, single use, grouped in one family per login.
 * Only SHA-256 hashes are kept, so a leak of this store reveals no usable token.
 */
export type RotateResult =
  | { ok: true; token: string; sub: string; family: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' }

export interface RefreshStore {
  /** Starts a family for a new login and returns its first token. */
  create(sub: string): { token: string; family: string }
  /**
   * Spends `token` and returns its successor. Presenting a token that was already
   * rotated revokes its whole family: either the user or a thief holds a stale copy,
   * and the server cannot tell which. There is deliberately no grace window.
   */
  rotate(token: string): RotateResult
  /** Remembers an access token issued to the family, so revoking the family can deny-list it. */
  recordAccessToken(family: string, jti: string, expiresAt: number): void
  /** Revokes the family `token` belongs to (any of its tokens, spent or not). */
  revokeByToken(token: string): void
}

interface TokenRecord {
  family: string
  expiresAt: number
  spent: boolean
}

interface Family {
  sub: string
  revoked: boolean
  hashes: Set<string>
  accessTokens: Map<string, number>
}

export function createRefreshStore(options: { now: () => number; ttlMs: number; denyList: DenyList }): RefreshStore {
  const { now, ttlMs, denyList } = options
  const tokens = new Map<string, TokenRecord>()
  const families = new Map<string, Family>()

  function mint(family: string): string {
    const token = randomBytes(32).toString('base64url')
    const hash = hashToken(token)
    tokens.set(hash, { family, expiresAt: now() + ttlMs, spent: false })
    families.get(family)?.hashes.add(hash)
    return token
  }

  function revoke(familyId: string): void {
    const family = families.get(familyId)
    if (!family || family.revoked) return
    family.revoked = true
    for (const [jti, expiresAt] of family.accessTokens) denyList.add(jti, expiresAt)
  }

  // Lazy clean-up instead of an interval timer, so nothing keeps the process alive.
  function sweep(): void {
    const current = now()
    for (const [hash, record] of tokens) {
      if (record.expiresAt > current) continue
      tokens.delete(hash)
      const family = families.get(record.family)
      family?.hashes.delete(hash)
      if (family && family.hashes.size === 0) families.delete(record.family)
    }
  }

  return {
    create(sub) {
      sweep()
      const family = randomBytes(12).toString('base64url')
      families.set(family, { sub, revoked: false, hashes: new Set(), accessTokens: new Map() })
      return { token: mint(family), family }
    },
    rotate(token) {
      const record = tokens.get(hashToken(token))
      const family = record && families.get(record.family)
      if (!record || !family) return { ok: false, reason: 'unknown' }
      if (family.revoked) return { ok: false, reason: 'revoked' }
      if (record.spent) {
        revoke(record.family)
        return { ok: false, reason: 'reused' }
      }
      if (record.expiresAt <= now()) return { ok: false, reason: 'expired' }
      record.spent = true
      return { ok: true, token: mint(record.family), sub: family.sub, family: record.family }
    },
    recordAccessToken(familyId, jti, expiresAt) {
      const family = families.get(familyId)
      family?.accessTokens.set(jti, expiresAt)
      // The family can be revoked while its token was being signed (a concurrent replay).
      if (family?.revoked) denyList.add(jti, expiresAt)
    },
    revokeByToken(token) {
      const record = tokens.get(hashToken(token))
      if (record) revoke(record.family)
    },
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
