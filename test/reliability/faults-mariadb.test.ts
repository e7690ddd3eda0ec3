import { createConnection, type Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHistoryTableStatement } from '../../src/migrate/history.js'
import { requireBuiltCli } from '../cli/run-cli.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'
import { cli, executeMigration, figures, project, sleep, spawnCli, uniq, type Run } from './support.js'

/**
 * The fault matrix on MariaDB: a migration of three `CREATE TABLE t_k AS SELECT * FROM src_k`
 * statements; the server rejects statement k (its source is missing), the runner's session is
 * killed with KILL while statement k waits (LOCK TABLES on its source), while its history row
 * waits, or while the `succeeded` row waits (a history trigger that sleeps), or the process is
 * SIGKILLed at a boundary.
 */

const available = await mariadbAvailable()
const tag = uniq()
const ID = '20250101000000'
const N = 3
const made: string[] = []

type Kind = 'reject' | 'kill-session' | 'sigkill'
type Boundary = { readonly at: 'before' | 'after'; readonly k: number } | { readonly at: 'succeeded' }
const label = (b: Boundary): string => (b.at === 'succeeded' ? 'after the last statement, before succeeded' : b.at === 'before' ? `before statement ${b.k}` : `after statement ${b.k}, before its history row`)
const ks = [1, 2, 3]
const CASES: { kind: Kind; b: Boundary }[] = [
  ...ks.map((k) => ({ kind: 'reject' as const, b: { at: 'before' as const, k } })),
  ...ks.map((k) => ({ kind: 'kill-session' as const, b: { at: 'before' as const, k } })),
  ...ks.map((k) => ({ kind: 'kill-session' as const, b: { at: 'after' as const, k } })),
  { kind: 'kill-session', b: { at: 'succeeded' } },
  ...ks.map((k) => ({ kind: 'sigkill' as const, b: { at: 'before' as const, k } })),
  ...ks.map((k) => ({ kind: 'sigkill' as const, b: { at: 'after' as const, k } })),
  { kind: 'sigkill', b: { at: 'succeeded' } },
]

const fig = figures('faults-mariadb')
const outcomes: Record<string, string> = {}

const waitFor = async (admin: Connection, db: string, like: string, state = '%'): Promise<number> => {
  for (let i = 0; i < 300; i++) {
    const [rows] = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ? AND STATE LIKE ? AND ID <> CONNECTION_ID()', [db, like, state])
    const row = (rows as { ID: number }[])[0]
    if (row !== undefined) return row.ID
    await sleep(50)
  }
  throw new Error(`no session of ${db} ran ${like}`)
}

describe.skipIf(!available).concurrent('fault matrix on MariaDB', () => {
  beforeAll(() => requireBuiltCli())
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    for (const db of made) await c.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined)
    await c.end()
    fig.set('fault points (kind × boundary)', CASES.length)
    fig.set('statements per migration', N)
    fig.set('outcomes', outcomes)
    fig.write()
  })

  CASES.forEach(({ kind, b }, i) => {
    for (const path of ['resume', 'down'] as const) {
      fig.add('cases')
      it(`${kind} ${label(b)}: then ${path}`, async () => {
        const db = `relf_${tag}_${i}_${path}`
        made.push(db)
        await runCase(db, kind, b, path)
      }, 60_000)
    }
  })
})

const runCase = async (db: string, kind: Kind, b: Boundary, path: 'resume' | 'down'): Promise<void> => {
  const admin = await createConnection(MARIADB)
  const { database: _d, ...server } = MARIADB
  const gate = await createConnection(server)
  try {
    await admin.query(`CREATE DATABASE \`${db}\``)
    await admin.query(`USE \`${db}\``)
    for (const k of ks) await admin.query(`CREATE TABLE src_${k} (id INT)`)
    await admin.query(createHistoryTableStatement({ name: 'srmv_migrations' }, 'mysql'))
    const tables = async (): Promise<string[]> => {
      const [rows] = await admin.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 't\\_%'`, [db])
      return (rows as { t: string }[]).map((r) => r.t).sort()
    }
    const dir = project(`fm-${kind}`)
    executeMigration(dir, `${ID}_three`, ks.map((k) => [`CREATE TABLE t_${k} AS SELECT * FROM src_${k}`, `DROP TABLE t_${k}`] as const))
    const env = { STARROCKS_URL: `mysql://root@127.0.0.1:3306/${db}` }
    const run = (...args: string[]): Promise<Run> => cli(dir, args, env)

    // expected facts
    const ran = b.at === 'succeeded' ? N : b.at === 'before' ? b.k - 1 : b.k
    const completed = b.at === 'succeeded' ? N : b.k - 1
    const unsettled = kind === 'reject' || b.at === 'succeeded' ? undefined : b.k

    // 1. the run meets the fault
    let first: Run
    if (kind === 'reject') {
      await admin.query(`DROP TABLE src_${(b as { k: number }).k}`)
      first = await run('up')
      expect(first.code, first.stderr).toBe(4)
      expect(first.stderr).toContain(`statement ${(b as { k: number }).k}`)
    } else if (kind === 'sigkill') {
      const at = b.at === 'before' ? `before-statement:${b.k}` : b.at === 'after' ? `after-statement:${b.k}` : 'before-succeeded'
      first = await spawnCli(dir, ['up'], { ...env, SRMV_TEST_KILL_AT: at })
      expect(first.signal, first.stderr).toBe('SIGKILL')
    } else if (b.at === 'before') {
      await gate.query(`LOCK TABLES \`${db}\`.src_${b.k} WRITE`)
      const running = run('up')
      const id = await waitFor(admin, db, `CREATE TABLE t_${b.k} AS SELECT%`)
      await admin.query(`KILL CONNECTION ${id}`)
      await gate.query('UNLOCK TABLES')
      first = await running
      expect(first.code, first.stderr).toBe(3)
      expect(first.stderr).toContain('outcome is unknown')
    } else {
      const when = b.at === 'after' ? `NEW.event = 'statement' AND NEW.statement_index = ${b.k - 1}` : `NEW.event = 'succeeded'`
      // the row waits; a KILL interrupts the sleep, and the trigger then refuses the row
      await admin.query(
        `CREATE TRIGGER hold BEFORE INSERT ON srmv_migrations FOR EACH ROW BEGIN IF ${when} THEN IF SLEEP(30) = 1 THEN SIGNAL SQLSTATE '70100' SET MESSAGE_TEXT = 'killed'; END IF; END IF; END`,
      )
      const running = run('up')
      const id = await waitFor(admin, db, 'INSERT INTO `srmv_migrations`%', 'User sleep')
      await admin.query(`KILL CONNECTION ${id}`)
      await admin.query('DROP TRIGGER hold')
      first = await running
      expect(first.code, first.stderr).toBe(3)
      // the reply was lost: whether the row landed is unknown to the runner, and it says so
      expect(first.stderr).toMatch(
        b.at === 'after'
          ? new RegExp(`statement ${b.k} of 3: it ran \\(the server answered OK\\), but its history row may or may not have been written`)
          : /all 3 statements ran, but the history row recording success may or may not have been written/,
      )
    }
    fig.add('fault runs')

    // 2. the server holds what ran, the history records it
    expect(await tables()).toEqual(ks.slice(0, ran).map((k) => `t_${k}`))
    const events = JSON.parse((await run('history', '--json')).stdout) as { event: string; statementIndex?: number; migrationId: string }[]
    expect(events.filter((e) => e.event === 'started')).toHaveLength(1)
    expect(events.filter((e) => e.event === 'statement').map((e) => e.statementIndex)).toEqual(Array.from({ length: completed }, (_, i) => i))

    // 3. status in words (a migration rejected before anything of it ran blocks nothing: a plain up tries it again)
    const clean = kind === 'reject' && ran === 0
    const status = await run('status')
    expect(status.code).toBe(clean ? 0 : 1)
    if (clean) expect(status.stdout).toMatch(new RegExp(`${ID}_three: its last up was rejected at statement 1 before anything ran .*doesn't exist.*\\); \`srmv up\` tries it again`))
    else expect(status.stdout).toContain(`${ID}_three: up started`)
    if (clean) {
      // noted above
    } else if (kind === 'reject') expect(status.stdout).toMatch(new RegExp(`statement ${ran + 1} of 3 failed: .*doesn't exist.*\\(outcome known: it did not run\\)`))
    else if (unsettled !== undefined) expect(status.stdout).toMatch(new RegExp(`statement ${unsettled} of 3(: outcome unknown|: whether it ran is unknown)`))
    else expect(status.stdout).toContain('every statement ran, but success was not recorded')

    if (kind === 'sigkill') {
      expect(status.stdout).toMatch(/Lock: +held by .* stale/)
      const locked = await run('up')
      expect(locked.code).toBe(1)
      expect(locked.stderr).toMatch(/locked by \S+ \(pid \d+, up\) since .* stale/)
      expect((await run('unlock', '--force')).code).toBe(0)
      fig.add('stale locks broken with unlock --force')
    } else {
      expect(status.stdout).toContain('Lock:    free')
    }

    // 4. refuses until --resume or resolve
    if (!clean) {
      const refused = await run('up')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('did not finish')
      fig.add('refusals checked')
    }

    if (unsettled !== undefined) {
      const guess = path === 'resume' ? await run('up', '--resume') : await run('down')
      expect(guess.code).toBe(1)
      expect(guess.stderr).toContain(`whether statement ${unsettled} ran is unknown`)
      const didRun = unsettled <= ran
      expect((await run('resolve', ID, didRun ? '--ran' : '--not-run')).code).toBe(0)
    }

    if (path === 'resume') {
      if (kind === 'reject') await admin.query(`CREATE TABLE src_${ran + 1} (id INT)`)
      // a statement sent again would fail: CREATE TABLE of a table that exists
      const resumed = clean ? await run('up') : await run('up', '--resume')
      if (clean) fig.add('retried by a plain up')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(await tables()).toEqual(['t_1', 't_2', 't_3'])
      const after = JSON.parse((await run('history', '--json')).stdout) as { event: string; statementIndex?: number; detail?: string }[]
      const done = after.filter((e) => e.event === 'statement' || (e.event === 'resolved' && e.detail === 'ran')).map((e) => e.statementIndex)
      expect([...done].sort()).toEqual([0, 1, 2])
      expect((await run('status')).code).toBe(0)
      fig.add('resumes without repeating a statement that ran')
    } else {
      const down = await run('down')
      expect(down.code, down.stderr).toBe(0)
      expect(await tables()).toEqual([])
      const st = JSON.parse((await run('status', '--json')).stdout) as { migrations: { state: string }[] }
      expect(st.migrations.map((m) => m.state)).toEqual(['pending'])
      fig.add('downs that undo only what ran')
    }
    outcomes[`${kind} ${label(b)}`] =
      clean ? 'rejected before anything ran: failed recorded; a plain up tries it again' : kind === 'reject' ? 'rejected: failed recorded; resume resends it' : unsettled !== undefined ? `statement ${unsettled} unknown until resolve --${unsettled <= ran ? 'ran' : 'not-run'}` : 'all ran; resume records success'
    fig.add('cases passed')
  } finally {
    await gate.query('UNLOCK TABLES').catch(() => undefined)
    await gate.end()
    await admin.end()
  }
}
