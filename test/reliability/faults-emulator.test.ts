import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type Fault } from '../../src/testing/index.js'
import { requireBuiltCli } from '../cli/run-cli.js'
import { cli, figures, project, spawnCli, type Run } from './support.js'

/**
 * The fault matrix on the StarRocks emulator: a migration of three statements (CREATE MV, CREATE
 * MV, ALTER ... RENAME), a fault at every boundary of every statement, four kinds of fault, and
 * for each the history, `status`, the refusal to go on, `--resume` and `down`.
 */

const ID = '20250101000000'
const NAME = `${ID}_three`
const N = 3
const MIGRATION = `import { alter, defineMigration, mv, sql, table } from 'starrocks-mv'
const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' })
const a = mv('rel_a').refresh.manual().as(sql\`SELECT \${orders.order_date}, SUM(\${orders.amount}) AS total FROM \${orders} GROUP BY \${orders.order_date}\`)
const b = mv('rel_b').refresh.manual().as(sql\`SELECT \${orders.id}, \${orders.amount} FROM \${orders}\`)
export default defineMigration({
  up(op) {
    op.createMaterializedView(a)
    op.createMaterializedView(b)
    op.alterMaterializedView(alter(a).rename('rel_a2'))
  },
  down(op) {
    op.alterMaterializedView(alter('rel_a2').rename('rel_a'))
    op.dropMaterializedView('rel_b')
    op.dropMaterializedView('rel_a')
  },
})
`
/** The MVs on the server after the first `ran` statements. */
const MVS_AFTER = [[], ['rel_a'], ['rel_a', 'rel_b'], ['rel_a2', 'rel_b']] as const

type Kind = 'reject' | 'drop' | 'delay' | 'kill'
type Boundary = { readonly at: 'before' | 'after'; readonly k: number } | { readonly at: 'succeeded' }

interface Expectation {
  /** How many statements ran on the server. */
  readonly ran: number
  /** How many the history records as completed. */
  readonly completed: number
  /** The run recovered by itself (a lost history reply read back): exit 0, applied. */
  readonly recovered: boolean
  /** The statement (1-based) whose outcome the history leaves unknown. */
  readonly unsettled?: number
  /** The statement (1-based) the server rejected (known not to have run). */
  readonly rejected?: number
  readonly exit: number | 'SIGKILL'
}

const expectationOf = (kind: Kind, b: Boundary): Expectation => {
  if (kind === 'delay' && b.at !== 'after') return { ran: N, completed: N, recovered: true, exit: 0 }
  const exit = kind === 'kill' ? 'SIGKILL' : kind === 'reject' ? 4 : 3
  if (b.at === 'succeeded') return { ran: N, completed: N, recovered: false, exit }
  if (b.at === 'before') {
    if (kind === 'reject') return { ran: b.k - 1, completed: b.k - 1, recovered: false, rejected: b.k, exit }
    return { ran: b.k - 1, completed: b.k - 1, recovered: false, unsettled: b.k, exit }
  }
  return { ran: b.k, completed: b.k - 1, recovered: false, unsettled: b.k, exit }
}

const historyRow = (event: string, index?: number) => (sql: string): boolean =>
  sql.startsWith('INSERT INTO') && sql.includes(`, '${ID}', '${event}', 'up', ${index === undefined ? 'NULL' : index}, `)

const faultOf = (kind: Exclude<Kind, 'kill'>, b: Boundary, statements: readonly string[]): Fault => {
  const statement = (k: number) => (sql: string): boolean => sql === statements[k - 1]
  const succeeded = historyRow('succeeded')
  switch (kind) {
    case 'reject':
      return { kind: 'error', errno: 1064, message: 'injected rejection', at: b.at === 'before' ? statement(b.k) : b.at === 'after' ? historyRow('statement', b.k - 1) : succeeded }
    case 'drop':
      return b.at === 'before' ? { kind: 'drop-before', at: statement(b.k) } : b.at === 'after' ? { kind: 'drop', at: statement(b.k) } : { kind: 'drop-before', at: succeeded }
    case 'delay':
      return {
        kind: 'delay',
        ms: 6500,
        at: b.at === 'before' ? (b.k === 1 ? historyRow('started') : historyRow('statement', b.k - 2)) : b.at === 'after' ? statement(b.k) : succeeded,
      }
  }
}

const killAt = (b: Boundary): string => (b.at === 'before' ? `before-statement:${b.k}` : b.at === 'after' ? `after-statement:${b.k}` : 'before-succeeded')
const label = (b: Boundary): string => (b.at === 'succeeded' ? 'after the last statement, before succeeded' : b.at === 'before' ? `before statement ${b.k}` : `after statement ${b.k}, before its history row`)

const BOUNDARIES: Boundary[] = [
  ...[1, 2, 3].map((k) => ({ at: 'before' as const, k })),
  ...[1, 2, 3].map((k) => ({ at: 'after' as const, k })),
  { at: 'succeeded' },
]
const KINDS: Kind[] = ['reject', 'drop', 'delay', 'kill']

const fig = figures('faults-emulator')
const outcomes: Record<string, string> = {}

interface Events {
  readonly migrationId: string
  readonly event: string
  readonly direction: string
  readonly statementIndex?: number
  readonly eventId: string
}

describe.concurrent('fault matrix on the emulator', () => {
  beforeAll(() => requireBuiltCli())
  afterAll(() => {
    fig.set('fault points (kind × boundary)', KINDS.length * BOUNDARIES.length)
    fig.set('statements per migration', N)
    fig.set('outcomes', outcomes)
    fig.write()
  })

  for (const kind of KINDS) {
    for (const b of BOUNDARIES) {
      const exp = expectationOf(kind, b)
      for (const path of exp.recovered ? (['resume'] as const) : (['resume', 'down'] as const)) {
        fig.add('cases')
        it(`${kind} ${label(b)}: ${exp.recovered ? 'recovers' : `then ${path}`}`, async () => {
          const sr: Emulator = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
          try {
            await runCase(sr, kind, b, exp, path)
          } finally {
            await sr.close()
          }
        }, 60_000)
      }
    }
  }
})

const runCase = async (sr: Emulator, kind: Kind, b: Boundary, exp: Expectation, path: 'resume' | 'down'): Promise<void> => {
  const db = 'rel'
  const admin = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  await admin.query(`CREATE DATABASE ${db}`)
  await admin.query(`CREATE TABLE ${db}.orders (id BIGINT, order_date DATE, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
  const mvs = async (): Promise<string[]> => {
    const [rows] = await admin.query(`SELECT TABLE_NAME FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${db}'`)
    return (rows as { TABLE_NAME: string }[]).map((r) => r.TABLE_NAME).sort()
  }
  try {
    const dir = project(`f-${kind}`, { starrocks: true })
    writeFileSync(join(dir, 'migrations', `${NAME}.ts`), MIGRATION)
    const url = `starrocks://root@127.0.0.1:${sr.port}/${db}${kind === 'delay' ? '?queryTimeout=4000' : ''}`
    const env = { STARROCKS_URL: url }
    const run = (...args: string[]): Promise<Run> => cli(dir, args, env)
    const offline = await run('up', '--sql', '--json')
    const statements = JSON.parse(offline.stdout) as string[]
    expect(statements).toHaveLength(N)

    // 1. the run meets the fault
    let first: Run
    if (kind === 'kill') {
      first = await spawnCli(dir, ['up'], { ...env, SRMV_TEST_KILL_AT: killAt(b) })
      expect(first.signal, first.stderr).toBe('SIGKILL')
    } else {
      sr.inject(faultOf(kind, b, statements))
      first = await run('up')
      expect(first.code, first.stderr).toBe(exp.exit)
    }
    fig.add('fault runs')

    // 2. the server holds exactly what ran; the history records it (and nothing that did not run)
    expect(await mvs()).toEqual([...(MVS_AFTER[exp.ran] ?? [])])
    const history = JSON.parse((await run('history', '--json')).stdout) as Events[]
    const mine = history.filter((e) => e.migrationId === ID)
    expect(new Set(history.map((e) => e.eventId)).size).toBe(history.length)
    expect(mine.filter((e) => e.event === 'started')).toHaveLength(1)
    const done = mine.filter((e) => e.event === 'statement').map((e) => e.statementIndex)
    expect(done).toEqual(Array.from({ length: exp.completed }, (_, i) => i))
    for (const s of statements.slice(exp.ran)) expect(sr.statements.filter((x) => x === s).length, s).toBeLessThanOrEqual(kind === 'reject' || kind === 'drop' ? 1 : 0)

    if (exp.recovered) {
      const status = await run('status')
      expect(status.code, status.stdout).toBe(0)
      expect(status.stdout).toMatch(new RegExp(`✓ ${NAME}\\s+applied`))
      expect(mine.filter((e) => e.event === 'succeeded')).toHaveLength(1)
      for (const s of statements) expect(sr.statements.filter((x) => x === s)).toHaveLength(1)
      outcomes[`${kind} ${label(b)}`] = 'recovered: the lost history reply was read back; applied once'
      fig.add('recovered without help')
      fig.add('cases passed')
      return
    }

    // 3. status says it in words (a migration rejected before anything of it ran blocks nothing: a plain up tries it again)
    const clean = exp.rejected === 1
    const status = await run('status')
    expect(status.code).toBe(clean ? 0 : 1)
    if (clean) expect(status.stdout).toMatch(new RegExp(`${NAME}: its last up was rejected at statement 1 before anything ran \\(injected rejection.*\\); \`srmv up\` tries it again`))
    else expect(status.stdout).toContain(`${NAME}: up started`)
    if (clean) {
      // noted above
    } else if (exp.rejected !== undefined) expect(status.stdout).toMatch(new RegExp(`statement ${exp.rejected} of ${N} failed: injected rejection .*\\(outcome known: it did not run\\)`))
    else if (exp.unsettled !== undefined) {
      expect(status.stdout).toMatch(new RegExp(`statement ${exp.unsettled} of ${N}(: outcome unknown|: whether it ran is unknown)`))
      expect(status.stdout).toContain(`srmv resolve ${ID} --ran`)
    } else expect(status.stdout).toContain('every statement ran, but success was not recorded')

    // 4. a killed run leaves its lock: stale, broken only by unlock --force
    if (kind === 'kill') {
      expect(status.stdout).toMatch(/Lock: +held by .* stale: process \d+ is not running/)
      const locked = await run('up')
      expect(locked.code).toBe(1)
      expect(locked.stderr).toMatch(/locked by \S+ \(pid \d+, up\) since \d{4}-\d\d-\d\dT.* stale/)
      expect((await run('unlock', '--force')).stdout).toContain('Broke the lock held by')
      fig.add('stale locks broken with unlock --force')
    }

    // 5. the next run refuses until --resume or resolve
    if (!clean) {
      const refused = await run('up')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('did not finish')
      expect(refused.stderr).toContain('--resume')
      fig.add('refusals checked')
    }

    // 6. an unknown outcome is settled by a person, never guessed
    if (exp.unsettled !== undefined) {
      const guess = path === 'resume' ? await run('up', '--resume') : await run('down')
      expect(guess.code).toBe(1)
      expect(guess.stderr).toContain(`whether statement ${exp.unsettled} ran is unknown`)
      const ran = exp.unsettled <= exp.ran
      const resolved = await run('resolve', ID, ran ? '--ran' : '--not-run')
      expect(resolved.code, resolved.stderr).toBe(0)
      expect(resolved.stdout).toContain(`resolved statement ${exp.unsettled} of ${ID} as ${ran ? 'ran' : 'not run'}`)
    }

    const mark = sr.statements.length
    if (path === 'resume') {
      // 7. --resume (a plain up, when nothing had run) sends only what did not run
      const resumed = clean ? await run('up') : await run('up', '--resume')
      if (clean) fig.add('retried by a plain up')
      expect(resumed.code, resumed.stderr).toBe(0)
      const sent = sr.statements.slice(mark).filter((s) => statements.includes(s))
      expect(sent).toEqual(statements.slice(exp.ran))
      expect(await mvs()).toEqual([...(MVS_AFTER[N] ?? [])])
      const after = await run('status')
      expect(after.code, after.stdout).toBe(0)
      // a statement refused or cut before it ran is logged by the emulator once more than it ran
      const notExecuted = b.at === 'before' && (kind === 'reject' || kind === 'drop') ? statements[b.k - 1] : undefined
      for (const s of statements) expect(sr.statements.filter((x) => x === s).length, `sent twice: ${s}`).toBe(s === notExecuted ? 2 : 1)
      fig.add('resumes without repeating a statement that ran')
    } else {
      // 7'. down undoes only what ran
      const down = await run('down')
      expect(down.code, down.stderr).toBe(0)
      const sent = sr.statements.slice(mark).filter((s) => /^(DROP|ALTER) MATERIALIZED VIEW/.test(s))
      expect(sent).toHaveLength(exp.ran)
      expect(await mvs()).toEqual([])
      const after = JSON.parse((await run('status', '--json')).stdout) as { migrations: { state: string }[]; problems: string[] }
      expect(after.migrations.map((m) => m.state)).toEqual(['pending'])
      expect(after.problems).toEqual([])
      fig.add('downs that undo only what ran')
    }
    const key = `${kind} ${label(b)}`
    outcomes[key] =
      clean
        ? 'rejected before anything ran: recorded failed; a plain up tries it again'
        : exp.rejected !== undefined
        ? 'rejected: recorded failed; resume resends it'
        : exp.unsettled !== undefined
          ? `statement ${exp.unsettled} unknown until resolve --${exp.unsettled <= exp.ran ? 'ran' : 'not-run'}; resume and down exact`
          : 'all ran, success not recorded; resume records it, sends nothing'
    fig.add('cases passed')
  } finally {
    await admin.end()
  }
}
