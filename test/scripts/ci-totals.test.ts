import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tally } from '../../scripts/ci-totals.ts'

function reports(steps: [string, number][], suites: Record<string, { passed: number; failed: number }> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-totals-'))
  writeFileSync(join(dir, 'steps.tsv'), steps.map(([name, code]) => `${name}\t${code}\n`).join(''))
  for (const [name, { passed, failed }] of Object.entries(suites)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ numPassedTests: passed, numFailedTests: failed }))
  }
  return dir
}

const totals = (dir: string) =>
  tally(dir).reduce((sum, step) => ({ passed: sum.passed + step.passed, failed: sum.failed + step.failed }), {
    passed: 0,
    failed: 0,
  })

describe('the totals of .ci/run', () => {
  it('counts the tests of each suite and each other step as one check', () => {
    const dir = reports(
      [
        ['install', 0],
        ['unit', 0],
        ['build', 0],
      ],
      { unit: { passed: 370, failed: 0 } },
    )
    expect(totals(dir)).toEqual({ passed: 372, failed: 0 })
  })

  it('counts a failed step as a failure', () => {
    const dir = reports([
      ['typecheck', 2],
      ['size', 1],
      ['build', 0],
    ])
    expect(totals(dir)).toEqual({ passed: 1, failed: 2 })
  })

  it('counts the failed tests of a suite', () => {
    const dir = reports([['e2e', 1]], { e2e: { passed: 13, failed: 2 } })
    expect(totals(dir)).toEqual({ passed: 13, failed: 2 })
  })

  it('counts a suite that exited non-zero with no failed test (a coverage floor) as one failure', () => {
    const dir = reports([['unit', 1]], { unit: { passed: 370, failed: 0 } })
    expect(totals(dir)).toEqual({ passed: 370, failed: 1 })
  })
})
