import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import type { Client } from '../db/client.js'
import { connect } from '../db/connect.js'
import { maskUrl } from '../db/mask-url.js'
import { formatPlan, graph, planToJSON, type RebuildOption } from '../diff/index.js'
import { StarRocksMvError } from '../errors.js'
import {
  checkProject,
  describeOwner,
  generateMigration,
  latestSnapshot,
  openProject,
  planProject,
  readRefreshProgress,
  reflectManaged,
  type MigratorEvent,
  type Project,
  type RunReport,
  type StatusReport,
} from '../migrate/index.js'
import { writeDeployedTypes } from '../migrate/deployed-types.js'
import { createModuleLoader, type ModuleLoader } from '../migrate/module-loader.js'
import { QualifiedName } from '../model/index.js'
import { EXIT, exitCodeOf } from './exit-codes.js'
import { initTemplates } from './init-templates.js'
import { Printer, type Io } from './output.js'
import { testCheckpoint } from './test-hooks.js'

/** The version printed by `srmv --version`. */
export const CLI_VERSION = '0.1.0'

interface GlobalOptions {
  readonly cwd?: string
  readonly config?: string
  readonly color?: boolean
}

class Usage extends StarRocksMvError {
  constructor(message: string) {
    super('USAGE', message)
  }
}

const secretsOf = (url: string | undefined): string[] => {
  if (url === undefined) return []
  try {
    const p = decodeURIComponent(new URL(url).password)
    return p.length >= 4 ? [p, encodeURIComponent(p)] : []
  } catch {
    return []
  }
}

/**
 * The `srmv` command line. Returns the exit code; writes only to `io`.
 */
export const runCli = async (argv: readonly string[], io: Io, packageModule?: unknown): Promise<number> => {
  let printer = new Printer(io, undefined)
  let code: number = EXIT.OK
  let loader: ModuleLoader | undefined
  const getLoader = async (): Promise<ModuleLoader> => {
    loader ??= createModuleLoader({ packageModule: packageModule ?? (await import('../index.js')) })
    return loader
  }
  const clients: Client[] = []

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions
  const cwdOf = (g: GlobalOptions): string => resolve(io.cwd, g.cwd ?? '.')
  const project = async (cmd: Command): Promise<Project> => {
    const g = globals(cmd)
    const p = await openProject({ cwd: cwdOf(g), ...(g.config === undefined ? {} : { configPath: g.config }), env: io.env, load: await getLoader() })
    printer = new Printer(io, g.color, secretsOf(p.config.url))
    return p
  }
  const client = async (p: Project): Promise<Client> => {
    const url = p.config.url
    if (url === undefined) {
      throw new StarRocksMvError(
        'NO_CONNECTION',
        `No server configured: set STARROCKS_URL (in the environment or ${join(p.config.dir, '.env')}) or url in ${p.config.file}. Commands that need no server: generate, plan, types, up --sql, down --sql, graph.`,
      )
    }
    const c = await connect(url)
    clients.push(c)
    return c
  }
  const setColor = (cmd: Command): void => {
    printer = new Printer(io, globals(cmd).color)
  }
  const rebuildOf = (value: string | undefined): RebuildOption | undefined => {
    if (value === undefined) return undefined
    if (value === 'swap' || value === 'drop-create' || value === 'error') return value
    throw new Usage(`--rebuild must be swap or drop-create, got "${value}".`)
  }
  const seconds = (value: string | undefined, flag: string): number | undefined => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isFinite(n) || n < 0) throw new Usage(`${flag} takes a number of seconds, got "${value}".`)
    return n
  }

  const program = new Command('srmv')
  program
    .description('StarRocks materialized views as code: generate, apply and check migrations.')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .option('-C, --cwd <dir>', 'run in this project folder (default: the current folder)')
    .option('-c, --config <file>', 'the config file (default: srmv.config.ts in the project folder)')
    .option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)')
    .showHelpAfterError('(run srmv --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 problems or drift, 2 usage, 3 connection, 4 SQL error.
The server comes from STARROCKS_URL (environment or .env) or url in srmv.config.ts.

Examples:
  srmv init
  srmv generate -m "add daily sales"
  srmv up --sql                 # print the SQL, no server needed
  srmv up && srmv status
  srmv down --steps 1
  srmv check                    # exit 1 on drift (for CI)`,
    )

  const examples = (cmd: Command, text: string): Command => cmd.addHelpText('after', `\nExamples:\n${text}`)

  // ------------------------------------------------------------------ init
  examples(
    program
      .command('init')
      .description('create srmv.config.ts, schema.ts and migrations/ in the project folder')
      .action(async (_o, cmd: Command) => {
        setColor(cmd)
        const dir = cwdOf(globals(cmd))
        const files = initTemplates()
        const existing = Object.keys(files).filter((f) => existsSync(join(dir, f)))
        if (existing.length > 0) {
          throw new StarRocksMvError('FILE_EXISTS', `${existing.map((f) => join(dir, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written. Run init in an empty folder, or edit the files.`)
        }
        for (const [file, content] of Object.entries(files)) {
          mkdirSync(dirname(join(dir, file)), { recursive: true })
          writeFileSync(join(dir, file), content, { flag: 'wx' })
          printer.out(`${printer.c.green('created')} ${file}`)
        }
        printer.out(`\nNext: edit schema.ts, then run ${printer.c.bold('srmv generate -m "initial"')} and ${printer.c.bold('srmv up --sql')}.`)
      }),
    '  mkdir analytics && cd analytics && srmv init',
  )

  // ------------------------------------------------------------------ generate
  examples(
    program
      .command('generate')
      .alias('revision')
      .description('write a migration for the difference between the latest snapshot (or the server) and the schema module')
      .requiredOption('-m, --message <text>', 'what the migration does (names the file)')
      .option('--from-db', 'diff the live server instead of the latest snapshot')
      .option('--rebuild <strategy>', 'rebuild changes StarRocks cannot ALTER: swap (no downtime, 3.1+) or drop-create')
      .option('--empty', 'an empty migration to write by hand')
      .option('--json', 'print the result as JSON')
      .action(async (o: { message: string; fromDb?: boolean; rebuild?: string; empty?: boolean; json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const rebuild = rebuildOf(o.rebuild) ?? p.config.config.rebuild
        const desired = await p.desired()
        const live = o.fromDb ? await reflectManaged(p, await client(p), [desired, latestSnapshot(p.config.migrationsDir).state]) : undefined
        const result = generateMigration({
          dir: p.config.migrationsDir,
          message: o.message,
          desired,
          version: p.version,
          ...(live === undefined ? {} : { from: live.state, compare: 'live' as const }),
          ...(live?.defaultSchema === undefined ? {} : { defaultSchema: live.defaultSchema }),
          ...(rebuild === undefined ? {} : { rebuild }),
          ...(o.empty ? { empty: true } : {}),
        })
        const types = writeDeployedTypes(p.config.migrationsDir)
        const typesFile = types.written ? types.file : null
        if (result.kind === 'nothing') {
          if (o.json) printer.json({ written: false, reason: 'no changes', deployedTypes: typesFile })
          else printer.out('No changes: the schema module matches the latest snapshot. Nothing was written.')
          if (!o.json && types.written) printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, types.file)}`)
          return
        }
        if (o.json) {
          printer.json({ written: true, id: result.id, file: result.file, snapshot: result.snapshotFile, ops: result.up.length, irreversible: result.irreversible ?? null, deployedTypes: typesFile })
          return
        }
        printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, result.file)}`)
        printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, result.snapshotFile)}`)
        if (types.written) printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, types.file)}`)
        if (result.plan !== undefined) printer.out(`\n${formatPlan(result.plan, { version: p.version, color: printer.c.isColorSupported })}`)
        if (result.irreversible !== undefined) printer.err(printer.e.yellow(`warning: down() cannot be derived: ${result.irreversible} Edit down() by hand.`))
      }),
    '  srmv generate -m "add daily sales"\n  srmv generate -m "more buckets" --rebuild swap\n  srmv generate -m "fix drift" --from-db\n  srmv generate -m "backfill" --empty',
  )

  // ------------------------------------------------------------------ plan
  examples(
    program
      .command('plan')
      .description('show what a new migration would do (nothing is written)')
      .option('--from-db', 'diff the live server instead of the latest snapshot')
      .option('--rebuild <strategy>', 'swap or drop-create for changes StarRocks cannot ALTER')
      .option('--json', 'print the plan as JSON')
      .action(async (o: { fromDb?: boolean; rebuild?: string; json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const rebuild = rebuildOf(o.rebuild)
        const { plan } = await planProject(p, { ...(o.fromDb ? { client: await client(p) } : {}), ...(rebuild === undefined ? {} : { rebuild }) })
        if (o.json) printer.json(planToJSON(plan, { version: p.version }))
        else printer.out(formatPlan(plan, { version: p.version, color: printer.c.isColorSupported }))
        if (plan.problems.length > 0) code = EXIT.PROBLEMS
      }),
    '  srmv plan\n  srmv plan --rebuild swap --json\n  srmv plan --from-db',
  )

  // ------------------------------------------------------------------ up / down
  const printSql = async (p: Project, o: { sql?: boolean; withHistory?: boolean; from?: string; server?: string; json?: boolean }, direction: 'up' | 'down', to: string | undefined): Promise<void> => {
    const m = p.migrator()
    const server = o.server === undefined ? undefined : o.server === 'mysql' || o.server === 'starrocks' ? o.server : undefined
    if (o.server !== undefined && server === undefined) throw new Usage(`--server must be starrocks or mysql, got "${o.server}".`)
    const statements = await m.sql({ direction, ...(o.from === undefined ? {} : { from: o.from }), ...(to === undefined ? {} : { to }), ...(o.withHistory ? { withHistory: true } : {}), ...(server === undefined ? {} : { server }) })
    if (o.json) printer.json(statements)
    else for (const s of statements) printer.out(`${s};\n`)
  }

  const progress = (p: Project, json: boolean | undefined) => {
    const tty = io.stderr.isTTY === true
    let watcher: { stop(): void } | undefined
    return (ev: MigratorEvent): void => {
      if (json) return
      switch (ev.kind) {
        case 'lock-wait':
          printer.err(`waiting for the lock held by ${describeOwner(ev.holder)}`)
          break
        case 'migration':
          printer.err(`${printer.e.bold(ev.direction === 'up' ? 'applying' : 'reverting')} ${ev.name}${ev.resume ? ' (resuming)' : ''}: ${ev.statements} statement${ev.statements === 1 ? '' : 's'}`)
          break
        case 'statement': {
          const first = ev.sql.split('\n')[0] ?? ''
          printer.err(printer.e.dim(`  [${ev.index + 1}/${ev.total}] ${first.length > 100 ? `${first.slice(0, 100)}...` : first}`))
          if (ev.op?.kind === 'refreshMaterializedView' && ev.op.wait) watcher = watchRefresh(p, ev.op.target, tty)
          break
        }
        case 'statement-done':
          watcher?.stop()
          watcher = undefined
          break
        case 'migration-done':
          printer.err(`${printer.e.green('done')} ${ev.id}`)
          break
        case 'warning':
          printer.err(printer.e.yellow(`warning: ${ev.message}`))
          break
        case 'alter-job':
          printer.err(printer.e.dim(`    schema change of ${ev.table}: ${ev.state}${ev.progress === undefined ? '' : ` ${ev.progress}`}`))
          break
      }
    }
  }

  /** Poll the refresh through a second connection while a waiting REFRESH runs: a live line on a TTY, a line every 30 s otherwise. */
  const watchRefresh = (p: Project, target: QualifiedName, tty: boolean): { stop(): void } => {
    const started = Date.now()
    let stopped = false
    let second: Client | undefined
    let lastPlain = started
    const tick = async (): Promise<void> => {
      if (stopped) return
      let text = ''
      try {
        if (p.config.url !== undefined) {
          second ??= await connect(p.config.url)
          const r = await readRefreshProgress(second, target)
          if (r !== undefined) text = ` ${r.state}${r.progress === undefined ? '' : ` ${r.progress}`}`
        }
      } catch {
        // progress is best effort; the statement itself reports failure
      }
      if (stopped) return
      const secs = Math.round((Date.now() - started) / 1000)
      const line = `  waiting for the refresh of ${QualifiedName.key(target)}: ${secs}s${text}`
      if (tty) printer.status(line)
      else if (Date.now() - lastPlain >= 30_000) {
        printer.err(line)
        lastPlain = Date.now()
      }
    }
    const timer = setInterval(() => void tick(), tty ? 1000 : 5000)
    return {
      stop() {
        stopped = true
        clearInterval(timer)
        if (tty) io.stderr.write('\r\x1b[2K')
        void second?.close()
      },
    }
  }

  const printRun = (r: RunReport, json: boolean | undefined): void => {
    if (json) {
      printer.json(r)
      return
    }
    if (r.migrations.length === 0) {
      printer.out(r.direction === 'up' ? 'Nothing to apply: every migration is applied.' : 'Nothing to revert.')
      return
    }
    const verb = r.dryRun ? (r.direction === 'up' ? 'would apply' : 'would revert') : r.direction === 'up' ? 'applied' : 'reverted'
    for (const m of r.migrations) printer.out(`${printer.c.green(verb)} ${m.name} (${m.statements.length} statement${m.statements.length === 1 ? '' : 's'})`)
    if (r.dryRun) {
      printer.out('\nDry run: nothing was written. The statements:')
      for (const m of r.migrations) for (const s of m.statements) printer.out(`${s};\n`)
    }
  }

  const runOptions = (cmd: Command): Command =>
    cmd
      .option('--sql', 'print the statements instead of running them (offline: no server needed)')
      .option('--with-history', 'with --sql: include the history table, lock and history statements')
      .addOption(new Option('--server <kind>', 'with --with-history: the server the script is for').choices(['starrocks', 'mysql']))
      .option('--from <id>', 'with --sql: the migration already applied; print what comes after it')
      .option('--resume', 'continue a partial migration from the first statement not recorded')
      .option('--wait-lock <seconds>', 'wait this long for another runner to finish')
      .option('--dry-run', 'connect and check everything; write nothing')
      .option('--allow-unordered', 'apply pending migrations older than an applied one')
      .option('--refresh-timeout <seconds>', 'how long to wait for a refresh that a migration waits for')
      .option('--json', 'print the result as JSON')

  type RunOpts = {
    sql?: boolean
    withHistory?: boolean
    server?: string
    from?: string
    resume?: boolean
    waitLock?: string
    dryRun?: boolean
    allowUnordered?: boolean
    refreshTimeout?: string
    json?: boolean
    steps?: string
  }

  const migratorFor = async (p: Project, o: RunOpts, command: string) => {
    const waitLockSeconds = seconds(o.waitLock, '--wait-lock')
    const refreshTimeoutSeconds = seconds(o.refreshTimeout, '--refresh-timeout')
    const checkpoint = testCheckpoint(io.env)
    return p.migrator(await client(p), {
      command,
      onEvent: progress(p, o.json),
      ...(checkpoint === undefined ? {} : { checkpoint }),
      ...(waitLockSeconds === undefined ? {} : { waitLockSeconds }),
      ...(refreshTimeoutSeconds === undefined ? {} : { refreshTimeoutSeconds }),
      ...(o.allowUnordered ? { allowUnordered: true } : {}),
    })
  }

  examples(
    runOptions(program.command('up').argument('[target]', 'the last migration to apply (id, id prefix or file name; default: all)'))
      .description('apply pending migrations, in order')
      .action(async (target: string | undefined, o: RunOpts, cmd: Command) => {
        const p = await project(cmd)
        if (o.sql) return printSql(p, o, 'up', target)
        const m = await migratorFor(p, o, 'up')
        printRun(await m.up({ ...(target === undefined ? {} : { to: target }), ...(o.resume ? { resume: true } : {}), ...(o.dryRun ? { dryRun: true } : {}) }), o.json)
      }),
    '  srmv up\n  srmv up 20250101120000\n  srmv up --sql > migrate.sql\n  srmv up --sql --with-history\n  srmv up --resume\n  srmv up --wait-lock 120',
  )

  examples(
    runOptions(program.command('down').argument('[target]', 'revert every migration after this one (base: all)'))
      .description('revert applied migrations, latest first (default: one)')
      .option('-n, --steps <n>', 'how many migrations to revert')
      .action(async (target: string | undefined, o: RunOpts, cmd: Command) => {
        const p = await project(cmd)
        if (target !== undefined && o.steps !== undefined) throw new Usage('Give either a target or --steps, not both.')
        const steps = o.steps === undefined ? undefined : Number(o.steps)
        if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) throw new Usage(`--steps takes a whole number of migrations, got "${o.steps}".`)
        if (o.sql) {
          // Offline, like the run itself: one migration unless a target or --steps says otherwise.
          if (target !== undefined) return printSql(p, o, 'down', target)
          if (steps === undefined && o.from !== undefined) return printSql(p, o, 'down', 'base')
          const keep = p.migrator().files().at(-1 - (steps ?? 1))
          return printSql(p, o, 'down', keep === undefined ? 'base' : keep.id)
        }
        const m = await migratorFor(p, o, 'down')
        printRun(
          await m.down({
            ...(target === undefined ? {} : { to: target }),
            ...(steps === undefined ? {} : { steps }),
            ...(o.resume ? { resume: true } : {}),
            ...(o.dryRun ? { dryRun: true } : {}),
          }),
          o.json,
        )
      }),
    '  srmv down\n  srmv down --steps 2\n  srmv down base\n  srmv down 20250101120000 --sql',
  )

  // ------------------------------------------------------------------ status / history
  const printStatus = (s: StatusReport, url: string): void => {
    const c = printer.c
    printer.out(`Server:  ${s.server === 'starrocks' ? 'StarRocks' : 'MySQL/MariaDB'} ${s.serverVersion} at ${maskUrl(url)}`)
    printer.out(`History: ${s.table}`)
    printer.out(`Lock:    ${s.lock === undefined ? 'free' : `held by ${describeOwner(s.lock)}`}`)
    printer.out('')
    if (s.migrations.length === 0) printer.out('No migrations yet. Run srmv generate -m "<message>".')
    for (const m of s.migrations) {
      const mark = m.state === 'applied' ? (m.checksumChanged ? c.red('!') : c.green('✓')) : m.state === 'pending' ? c.dim('·') : c.red('✗')
      const when = m.record !== undefined && m.record.state === 'applied' ? c.dim(` ${m.record.at}${m.record.via === 'succeeded' ? '' : ` (${m.record.via})`}`) : ''
      printer.out(`${mark} ${m.name}  ${m.state}${m.checksumChanged ? ' (changed since)' : ''}${when}`)
    }
    if (s.problems.length > 0) {
      printer.out(`\n${c.red('Problems:')}`)
      for (const p of s.problems) printer.out(`- ${p}`)
    }
  }

  examples(
    program
      .command('status')
      .description('where every migration stands on the server, the lock, and what would stop a run')
      .option('--json', 'print as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const c = await client(p)
        const s = await p.migrator(c).status()
        if (o.json) printer.json(s)
        else printStatus(s, c.url)
        if (s.problems.length > 0) code = EXIT.PROBLEMS
      }),
    '  srmv status\n  srmv status --json',
  )

  examples(
    program
      .command('history')
      .description('every event of the history table, oldest first')
      .option('--json', 'print as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const events = await p.migrator(await client(p)).history()
        if (o.json) {
          printer.json(events)
          return
        }
        if (events.length === 0) printer.out('The history is empty.')
        for (const e of events) {
          const what = e.event === 'statement' ? `statement ${(e.statementIndex ?? 0) + 1} done` : e.statementIndex === undefined ? e.event : `${e.event} at statement ${e.statementIndex + 1}`
          printer.out(`${e.createdAt}  ${e.migrationId || '-'}  ${e.direction} ${what}  ${printer.c.dim(e.owner)}${e.detail === undefined || e.event === 'started' ? '' : `  ${e.detail}`}`)
        }
      }),
    '  srmv history\n  srmv history --json | jq .',
  )

  // ------------------------------------------------------------------ stamp / resolve / unlock
  examples(
    program
      .command('stamp')
      .argument('<target>', 'the migration to mark as the last applied (head, base, or an id)')
      .description('record migrations as applied (up to target) or not, without running anything')
      .action(async (target: string, _o, cmd: Command) => {
        const p = await project(cmd)
        const r = await p.migrator(await client(p)).stamp(target)
        if (r.stamped.length === 0) printer.out('Nothing to stamp: the history already says so.')
        for (const s of r.stamped) printer.out(`stamped ${s.id} ${s.direction === 'up' ? 'applied' : 'not applied'}`)
      }),
    '  srmv stamp head      # an existing database already has every MV\n  srmv stamp 20250101120000',
  )

  examples(
    program
      .command('resolve')
      .argument('<id>', 'the migration to settle')
      .option('--applied', 'record that the whole migration is applied')
      .option('--rolled-back', 'record that the whole migration is not applied')
      .option('--ran', 'record that the statement whose outcome is unknown ran (--resume continues after it)')
      .option('--not-run', 'record that the statement whose outcome is unknown did not run (--resume sends it again)')
      .description('settle a partial, changed or missing migration (or its one statement of unknown outcome) after checking the server by hand')
      .action(async (id: string, o: { applied?: boolean; rolledBack?: boolean; ran?: boolean; notRun?: boolean }, cmd: Command) => {
        const chosen = [o.applied, o.rolledBack, o.ran, o.notRun].filter((x) => x === true).length
        if (chosen !== 1) throw new Usage('resolve needs exactly one of --applied, --rolled-back (the whole migration), --ran or --not-run (its statement of unknown outcome).')
        const p = await project(cmd)
        const m = await migratorFor(p, {}, 'resolve')
        if (o.ran || o.notRun) {
          const r = await m.resolveStatement(id, o.ran ? 'ran' : 'not-run')
          printer.out(`resolved statement ${r.index + 1} of ${r.id} as ${r.outcome === 'ran' ? 'ran' : 'not run'}`)
          return
        }
        const r = await m.resolve(id, o.applied ? 'applied' : 'rolled-back')
        printer.out(`resolved ${r.id} as ${r.outcome}`)
      }),
    '  srmv resolve 20250101120000 --applied\n  srmv resolve 20250101120000 --rolled-back\n  srmv resolve 20250101120000 --ran      # the statement of unknown outcome did run',
  )

  examples(
    program
      .command('unlock')
      .description('show who holds the migration lock; --force breaks it')
      .option('--force', 'break the lock (only when no srmv is running)')
      .option('--json', 'print as JSON')
      .action(async (o: { force?: boolean; json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const r = await p.migrator(await client(p)).unlock(o.force ? { force: true } : {})
        if (o.json) printer.json(r)
        else if (r.holder === undefined) printer.out('The lock is free.')
        else if (r.broken) printer.out(`Broke the lock held by ${describeOwner(r.holder)}.`)
        else {
          printer.out(`Locked by ${describeOwner(r.holder)}. If no srmv is running, break it with srmv unlock --force.`)
          code = EXIT.PROBLEMS
        }
      }),
    '  srmv unlock\n  srmv unlock --force',
  )

  // ------------------------------------------------------------------ check / graph
  examples(
    program
      .command('check')
      .description('exit 1 when the schema module, the migrations and the server disagree (for CI)')
      .option('--offline', 'only compare the schema module with the migrations (no server)')
      .option('--json', 'print the findings as JSON')
      .action(async (o: { offline?: boolean; json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const findings = await checkProject(p, o.offline ? undefined : await client(p))
        if (o.json) printer.json({ ok: findings.length === 0, findings })
        else if (findings.length === 0) printer.out(`${printer.c.green('ok')}: ${o.offline ? 'the schema module and the migrations agree' : 'the schema module, the migrations and the server agree'}.`)
        else for (const f of findings) printer.out(`${printer.c.red('drift')} ${f.message}`)
        if (findings.length > 0) code = EXIT.PROBLEMS
      }),
    '  srmv check\n  srmv check --offline',
  )

  examples(
    program
      .command('graph')
      .description('the dependency graph of the schema module (Mermaid or Graphviz DOT)')
      .addOption(new Option('--format <format>', 'mermaid or dot').choices(['mermaid', 'dot']).default('mermaid'))
      .action(async (o: { format: 'mermaid' | 'dot' }, cmd: Command) => {
        const p = await project(cmd)
        printer.out(graph(await p.desired(), { format: o.format }))
      }),
    '  srmv graph\n  srmv graph --format dot | dot -Tsvg > mvs.svg',
  )

  // ------------------------------------------------------------------ types
  examples(
    program
      .command('types')
      .description('write deployed.d.ts in the migrations folder: the MVs of the latest snapshot, which defineSchema checks the schema module against')
      .option('--json', 'print the result as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const r = writeDeployedTypes(p.config.migrationsDir)
        if (o.json) printer.json(r)
        else printer.out(`${r.written ? printer.c.green('wrote') : 'up to date:'} ${relative(io.cwd, r.file)} (${r.mvs} MV${r.mvs === 1 ? '' : 's'})`)
      }),
    '  srmv types                    # also done by srmv generate',
  )

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK
      return EXIT.USAGE
    }
    code = exitCodeOf(e)
    const message = e instanceof Error ? e.message : String(e)
    printer.err(`${printer.e.red('error')}: ${message}`)
    if (!(e instanceof StarRocksMvError) && e instanceof Error && e.stack !== undefined && io.env.SRMV_DEBUG) printer.err(e.stack)
  } finally {
    for (const c of clients) await c.close().catch(() => undefined)
  }
  return code
}
