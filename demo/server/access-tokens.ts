import { createExpiringMap } from './expiring-map.ts'

/**
 * The access tokens issued to each family (by jti), so that revoking a family can
 * deny-list the ones still alive, and the deny list itself. Every record is dropped
 * once the access token it describes has expired: past its exp the token fails
 * verification anyway.
 */
export interface AccessTokenLedger {
  record(family: string, jti: string, expiresAt: number): void
  /** Deny-lists every live access token of the family. */
  revokeFamily(family: string): void
  isDenied(jti: string): boolean
  counts(): { accessTokens: number; denyList: number }
  sweep(limit: number): number
}

interface Issued {
  family: string
  expiresAt: number
}

export function createAccessTokenLedger(now: () => number): AccessTokenLedger {
  const byFamily = new Map<string, Set<string>>()
  const issued = createExpiringMap<string, Issued>({
    now,
    onExpire(jti, { family }) {
      const jtis = byFamily.get(family)
      jtis?.delete(jti)
      if (jtis?.size === 0) byFamily.delete(family)
    },
  })
  const denied = createExpiringMap<string, true>({ now })

  return {
    record(family, jti, expiresAt) {
      issued.set(jti, { family, expiresAt }, expiresAt)
      const jtis = byFamily.get(family) ?? new Set()
      byFamily.set(family, jtis.add(jti))
    },
    revokeFamily(family) {
      for (const jti of byFamily.get(family) ?? []) {
        const live = issued.get(jti)
        if (live) denied.set(jti, true, live.expiresAt)
      }
    },
    isDenied: (jti) => denied.get(jti) !== undefined,
    counts: () => ({ accessTokens: issued.size, denyList: denied.size }),
    sweep: (limit) => issued.sweep(limit) + denied.sweep(limit),
  }
}
