/** Access-token ids revoked before their expiry (logout, reuse detection). */
export interface DenyList {
  add(jti: string, expiresAt: number): void
  has(jti: string): boolean
}

export function createDenyList(now: () => number): DenyList {
  const entries = new Map<string, number>()
  return {
    add(jti, expiresAt) {
      entries.set(jti, expiresAt)
    },
    has(jti) {
      const expiresAt = entries.get(jti)
      if (expiresAt === undefined) return false
      // Past its own expiry the token fails verification anyway, so the entry can go.
      if (expiresAt <= now()) {
        entries.delete(jti)
        return false
      }
      return true
    },
  }
}
