import { existsSync, writeFileSync } from 'node:fs'
import { StarRocksMvError } from '../errors.js'
import type { Checkpoint } from '../migrate/index.js'

const BOUNDARIES = ['before-statement', 'after-statement', 'before-succeeded'] as const
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Test hooks for srmv's own reliability tests, inert unless their environment variable is set:
 *
 * - `SRMV_TEST_KILL_AT=<boundary>:<k>`: the process kills itself with SIGKILL at that point of
 *   the first migration that reaches it. Boundaries: `before-statement:<k>` (before statement k,
 *   1-based, is sent), `after-statement:<k>` (statement k answered OK, its history row not yet
 *   written), `before-succeeded` (every statement done, success not yet recorded).
 * - `SRMV_TEST_BARRIER=<file>`: before taking the lock, write `<file>.ready.<pid>` and wait (up to
 *   60 s) until `<file>` exists, so that several processes race from the same instant.
 *
 * Returns `undefined` when neither is set.
 *
 * @example
 * ```sh
 * SRMV_TEST_KILL_AT=after-statement:2 srmv up   # dies between statement 2 and its history row
 * ```
 */
export const testCheckpoint = (env: Readonly<Record<string, string | undefined>>): ((point: Checkpoint) => Promise<void>) | undefined => {
  const killAt = env.SRMV_TEST_KILL_AT
  const barrier = env.SRMV_TEST_BARRIER
  if ((killAt === undefined || killAt === '') && (barrier === undefined || barrier === '')) return undefined
  let kill: { at: (typeof BOUNDARIES)[number]; index?: number } | undefined
  if (killAt !== undefined && killAt !== '') {
    const [at, k] = killAt.split(':')
    const known = BOUNDARIES.find((b) => b === at)
    const index = k === undefined ? undefined : Number(k) - 1
    if (known === undefined || (known !== 'before-succeeded' && (index === undefined || !Number.isInteger(index) || index < 0))) {
      throw new StarRocksMvError('USAGE', `SRMV_TEST_KILL_AT must be before-statement:<k>, after-statement:<k> or before-succeeded, got "${killAt}". It is a test hook: unset it.`)
    }
    kill = { at: known, ...(index === undefined ? {} : { index }) }
  }
  return async (point) => {
    if (point.at === 'before-lock') {
      if (barrier === undefined || barrier === '') return
      writeFileSync(`${barrier}.ready.${process.pid}`, '')
      const deadline = Date.now() + 60_000
      while (!existsSync(barrier) && Date.now() < deadline) await sleep(5)
      return
    }
    if (kill === undefined || point.at !== kill.at) return
    if (point.at !== 'before-succeeded' && point.index !== kill.index) return
    process.kill(process.pid, 'SIGKILL')
    await sleep(60_000)
  }
}
