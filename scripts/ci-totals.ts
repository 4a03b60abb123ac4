// The closing lines of .ci/run: one row per step, then "N passed, N failed".
// A vitest suite counts its tests (from its JSON report); any other step counts as
// one check. A step that exited non-zero counts as a failure even when no test in
// it failed (a coverage floor, a file that crashed before its tests ran, a build).
// Usage: node scripts/ci-totals.ts DIR, where DIR holds steps.tsv ("name<TAB>exit
// code" per line) and NAME.json for each suite. Exits 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface VitestReport {
  numPassedTests: number
  numFailedTests: number
}

export interface StepResult {
  name: string
  passed: number
  failed: number
  note: string
}

export function tally(dir: string): StepResult[] {
  const lines = readFileSync(join(dir, 'steps.tsv'), 'utf8').split('\n').filter(Boolean)
  return lines.map((line) => {
    const [name = '?', code = '1'] = line.split('\t')
    const exit = Number(code)
    const reportFile = join(dir, `${name}.json`)
    if (!existsSync(reportFile)) {
      return { name, passed: exit === 0 ? 1 : 0, failed: exit === 0 ? 0 : 1, note: exit === 0 ? 'ok' : `exit ${exit}` }
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport
    const passed = report.numPassedTests
    let failed = report.numFailedTests
    let note = `${passed} tests passed, ${failed} failed`
    if (exit !== 0 && failed === 0) {
      failed = 1
      note += `, but exit ${exit} (a coverage floor, or a file that failed before its tests)`
    }
    return { name, passed, failed, note }
  })
}

if (import.meta.main) {
  const dir = process.argv[2]
  if (!dir) throw new Error('usage: node scripts/ci-totals.ts DIR')
  const steps = tally(dir)
  const width = Math.max(4, ...steps.map((step) => step.name.length))
  for (const step of steps) console.log(`${step.failed > 0 ? 'FAIL' : 'ok  '} ${step.name.padEnd(width)} ${step.note}`)
  const passed = steps.reduce((sum, step) => sum + step.passed, 0)
  const failed = steps.reduce((sum, step) => sum + step.failed, 0)
  console.log(`${passed} passed, ${failed} failed`)
  process.exitCode = failed > 0 ? 1 : 0
}
