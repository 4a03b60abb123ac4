import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { Profile } from './tokens.ts'

interface DemoAccount extends Profile {
  username: string
  password: string
}

const ACCOUNTS: DemoAccount[] = [
  {
    sub: 'user-1',
    username: 'demo',
    password: 'demo1234',
    name: 'Demo User',
    email: 'demo@example.com',
    scope: 'profile api:read',
  },
  {
    sub: 'user-2',
    username: 'alice',
    password: 'wonderland',
    name: 'Alice Liddell',
    email: 'alice@example.com',
    scope: 'profile api:read api:write',
  },
]

const KEY_LENGTH = 32

interface Credential {
  profile: Profile
  salt: Buffer
  hash: Buffer
}

export interface UserDirectory {
  /** The user's profile when the password matches, else null. Same cost whether or not the user exists. */
  verify(username: string, password: string): Promise<Profile | null>
  bySub(sub: string): Profile | undefined
}

// Hashed once per process, in the background, so creating an app stays synchronous and
// test suites that start many servers pay for it once. The plaintext passwords above are
// demo fixtures; only the salted hashes are ever compared.
let credentials: Promise<Map<string, Credential>> | undefined
// Unknown usernames are checked against this, so response time does not reveal which users exist.
let decoy: Promise<Credential> | undefined

function loadCredentials() {
  credentials ??= Promise.all(
    ACCOUNTS.map(async ({ username, password, ...profile }) => [username, await hashNew(password, profile)] as const),
  ).then((entries) => new Map(entries))
  decoy ??= hashNew(randomBytes(16).toString('hex'), { sub: '', name: '', email: '', scope: '' })
  return { credentials, decoy }
}

export function createUserDirectory(): UserDirectory {
  const profiles = new Map(ACCOUNTS.map(({ username, password, ...profile }) => [profile.sub, profile]))
  const hashes = loadCredentials()
  return {
    async verify(username, password) {
      const known = (await hashes.credentials).get(username)
      const credential = known ?? (await hashes.decoy)
      const candidate = await derive(password, credential.salt)
      const matches = timingSafeEqual(candidate, credential.hash)
      return known && matches ? known.profile : null
    },
    bySub: (sub) => profiles.get(sub),
  }
}

async function hashNew(password: string, profile: Profile): Promise<Credential> {
  const salt = randomBytes(16)
  return { profile, salt, hash: await derive(password, salt) }
}

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)))
  })
}
