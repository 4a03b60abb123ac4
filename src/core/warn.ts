// Development warnings: each call site is wrapped in `process.env.NODE_ENV !== 'production'`,
// so production builds drop them; none ever contains a token.
const warned = new Set<string>()

export function warnOnce(message: string): void {
  if (warned.has(message)) return
  warned.add(message)
  console.warn(`tokenkeeper: ${message}`)
}
