import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type Fault } from '../../src/testing/index.js'
import { CLI, requireBuiltCli } from '../cli/run-cli.js'
import { cli, figures, project, sleep, type Run } from './support.js'

/**
 * Faults during schema-change jobs, on the emulator: a migration of three ALTER TABLE statements
 * that StarRocks runs as asynchronous jobs (ADD COLUMN, ADD INDEX, ADD COLUMN). At statement k the
 * job is cancelled, or the connection is cut while the runner waits for the job, or the process is
 * killed while the job runs. For each: what the history records (no row for a statement whose job
 * failed or whose outcome is unknown), what `status` says, and that the rerun finishes the schema
 * without sending a statement that took effect twice.
 */

const ID = '20250201000000'
const NAME = `${ID}_jobs`
const DB = 'relj'
const STATEMENTS = [
  `ALTER TABLE ${DB}.orders ADD COLUMN note VARCHAR(20) NULL AFTER amount`,
  `ALTER TABLE ${DB}.orders ADD INDEX ix_note (note) USING BITMAP`,
  `ALTER TABLE ${DB}.orders ADD COLUMN channel INT NULL AFTER note`,
] as const
const DOWN = [
  `ALTER TABLE ${DB}.orders DROP COLUMN note`,
  `ALTER TABLE ${DB}.orders DROP INDEX ix_note`,
  `ALTER TABLE ${DB}.orders DROP COLUMN channel`,
] as const
const N = STATEMENTS.length
const MIGRATION = `import { defineMigration } from 'starrocks-mv'
export default defineMigration({
  up(op) {
${STATEMENTS.map((s, i) => `    op.execute(${JSON.stringify(s)}, { down: ${JSON.stringify(DOWN[i])} })`).join('\n')}
  },
  down(op) {
${[...DOWN].reverse().map((s) => `    op.execute(${JSON.stringify(s)})`).join('\n')}
  },
})
`

type Kind = 'cancel' | 'cut-wait' | 'kill-wait'

interface Events {
  readonly migrationId: string
  readonly event: string
  readonly statementIndex?: number
}

const fig = figures('alter-job-faults-emulator')
const outcomes: Record<string, string> = {}
const KINDS: Kind[] = ['cancel', 'cut-wait', 'kill-wait']
const AT = [1, 2]

/** Run the built srmv as its own process and kill it with SIGKILL once `when()` holds. */
const spawnAndKill = (dir: string, args: readonly string[], env: Record<string, string>, when: () => boolean): Promise<Run> =>
  new Promise((done) => {
    const full: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, SRMV_TEST_KILL_AT: undefined, ...env }
    for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k]
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: full as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    const poll = setInterval(() => {
      if (when()) {
        clearInterval(poll)
        child.kill('SIGKILL')
      }
    }, 5)
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code, signal) => {
      clearInterval(poll)
      clearTimeout(timer)
      done({ code, ...(signal === null ? {} : { signal }), stdout, stderr })
    })
  })

describe.concurrent('faults during schema-change jobs (emulator)', () => {
  beforeAll(() => requireBuiltCli())
  afterAll(() => {
    fig.set('fault points (kind × statement)', KINDS.length * AT.length)
    fig.set('outcomes', outcomes)
    fig.write()
  })
  for (const kind of KINDS) {
    for (const k of AT) {
      fig.add('cases')
      it(`${kind} at statement ${k}: the rerun finishes the schema, nothing that took effect is sent twice`, async () => {
        const sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
        try {
          await runCase(sr, kind, k)
        } finally {
          await sr.close()
        }
      }, 60_000)
    }
  }
})

const runCase = async (sr: Emulator, kind: Kind, k: number): Promise<void> => {
  const admin = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  await admin.query(`CREATE DATABASE ${DB}`)
  await admin.query(`CREATE TABLE ${DB}.orders (id BIGINT, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
  const schema = async (): Promise<string> => {
    const [rows] = await admin.query(`SHOW CREATE TABLE ${DB}.orders`)
    return String((rows as Record<string, unknown>[])[0]?.['Create Table'])
  }
  try {
    const dir = project(`j-${kind}`, { starrocks: true })
    writeFileSync(join(dir, 'migrations', `${NAME}.ts`), MIGRATION)
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/${DB}` }
    const run = (...args: string[]): Promise<Run> => cli(dir, args, env)
    const statement = (sql: string): boolean => sql === STATEMENTS[k - 1]
    let sentK = false
    const pollAfterK = (sql: string): boolean => {
      if (statement(sql)) sentK = true
      return sentK && sql.startsWith('SHOW ALTER TABLE COLUMN')
    }

    // 1. the run meets the fault
    let first: Run
    if (kind === 'cancel') {
      sr.inject({ kind: 'alter-cancel', ms: 150, message: 'injected: tablet lost', at: statement } satisfies Fault)
      first = await run('up')
      expect(first.code, first.stderr).toBe(4)
      expect(first.stderr).toMatch(/cancelled: injected: tablet lost/)
    } else if (kind === 'cut-wait') {
      sr.inject({ kind: 'alter-delay', ms: 800, at: statement } satisfies Fault)
      sr.inject({ kind: 'drop', at: pollAfterK } satisfies Fault)
      first = await run('up')
      expect(first.code, first.stderr).toBe(3)
    } else {
      sr.inject({ kind: 'alter-delay', ms: 5000, at: statement } satisfies Fault)
      const seen = sr.statements.length
      first = await spawnAndKill(dir, ['up'], env, () => {
        const later = sr.statements.slice(seen)
        const i = later.indexOf(STATEMENTS[k - 1] as string)
        return i >= 0 && later.slice(i + 1).some((s) => s.startsWith('SHOW ALTER TABLE COLUMN'))
      })
      expect(first.signal, first.stderr).toBe('SIGKILL')
    }
    fig.add('fault runs')

    // 2. the history holds a row for each statement before k, none for k (its job failed, or its outcome is unknown)
    const history = (JSON.parse((await run('history', '--json')).stdout) as Events[]).filter((e) => e.migrationId === ID)
    expect(history.filter((e) => e.event === 'statement').map((e) => e.statementIndex)).toEqual(Array.from({ length: k - 1 }, (_, i) => i))
    expect(history.some((e) => e.event === 'succeeded')).toBe(false)

    // 3. status says it in words
    const status = await run('status')
    if (kind === 'cancel') {
      if (k === 1) expect(status.stdout).toMatch(/rejected at statement 1 before anything ran \(.*cancelled: injected: tablet lost/)
      else expect(status.stdout).toMatch(new RegExp(`statement ${k} of ${N} failed: .*cancelled: injected: tablet lost.*\\(outcome known: it did not run\\)`))
      expect(await schema()).not.toContain(k === 1 ? '`note`' : 'ix_note')
    } else {
      expect(status.stdout).toMatch(new RegExp(`statement ${k} of ${N}(: outcome unknown|: whether it ran is unknown)`))
      expect(status.stdout).toContain(`srmv resolve ${ID} --ran`)
    }
    if (kind === 'kill-wait') {
      expect(status.stdout).toMatch(/stale: process \d+ is not running/)
      expect((await run('unlock', '--force')).code).toBe(0)
    }

    // 4. an unknown outcome is settled by a person: here the job did run (or is still running)
    if (kind !== 'cancel') {
      const resolved = await run('resolve', ID, '--ran')
      expect(resolved.code, resolved.stderr).toBe(0)
    }

    // 5. the rerun sends what did not take effect: the cancelled statement again, never a statement whose job ran
    const mark = sr.statements.length
    const resumed = kind === 'cancel' && k === 1 ? await run('up') : await run('up', '--resume')
    expect(resumed.code, resumed.stderr).toBe(0)
    const sent = sr.statements.slice(mark).filter((s) => (STATEMENTS as readonly string[]).includes(s))
    expect(sent).toEqual(STATEMENTS.slice(kind === 'cancel' ? k - 1 : k))
    for (const [i, s] of STATEMENTS.entries()) {
      const times = sr.statements.filter((x) => x === s).length
      expect(times, `sent: ${s}`).toBe(kind === 'cancel' && i === k - 1 ? 2 : 1)
    }
    if (kind === 'kill-wait') {
      // the job the killed run left behind was waited for before the next ALTER of the table
      const firstAlter = sr.statements.indexOf(STATEMENTS[k] as string, mark)
      expect(sr.statements.slice(mark, firstAlter).some((s) => s.startsWith('SHOW ALTER TABLE COLUMN'))).toBe(true)
    }
    // every job ended, the table has all three changes, the migration is applied
    const ddl = await schema()
    expect(ddl).toMatch(/`note` varchar\(20\) NULL COMMENT "",\n {2}`channel` int\(11\) NULL/)
    expect(ddl).toContain('INDEX ix_note (`note`) USING BITMAP')
    await sleep(10)
    const after = await run('status')
    expect(after.code, after.stdout).toBe(0)
    expect(after.stdout).toMatch(new RegExp(`✓ ${NAME}\\s+applied`))
    outcomes[`${kind} at statement ${k}`] =
      kind === 'cancel' ? 'job cancelled: statement recorded failed, the rerun sends it again' : 'outcome unknown until resolve --ran; resume sends only the statements after it'
    fig.add('cases passed')
  } finally {
    await admin.end()
  }
}
