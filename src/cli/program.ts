import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import type { Client } from '../db/client.js'
import { connect, parseServerUrl } from '../db/connect.js'
import { maskUrl } from '../db/mask-url.js'
import { formatPlan, graph, planToJSON, type RebuildOption } from '../diff/index.js'
import { StarRocksMvError } from '../errors.js'
import {
  checkProject,
  describeOwner,
  findTarget,
  generateMigration,
  prepareMigration,
  writeFilesAtomically,
  latestSnapshot,
  latestSnapshotForPlan,
  listMigrationFiles,
  openProject,
  planProject,
  readEnv,
  readRefreshProgress,
  reflectManaged,
  schemaModuleFromState,
  verifySchemaModule,
  DEFAULT_HISTORY_TABLE,
  type MigratorEvent,
  type Project,
  type RunReport,
  type StatusReport,
} from '../migrate/index.js'
import { DEPLOYED_TYPES_FILE, deployedTypesFile, writeDeployedTypes } from '../migrate/deployed-types.js'
import { createModuleLoader, type ModuleLoader } from '../migrate/module-loader.js'
import { parseVersion, QualifiedName, SchemaState } from '../model/index.js'
import { reflect } from '../reflect/index.js'
import { health, reactivationOps } from '../health/index.js'
import { toStatements } from '../ops/index.js'
import { formatHealth } from './health-output.js'
import { EXIT, exitCodeOf } from './exit-codes.js'
import { relativeTarget, rewriteRelativeTargets } from './alembic.js'
import { planInit } from './init-project.js'
import { initTemplates } from './init-templates.js'
import { errorReport, Printer, type Io } from './output.js'
import { WaitIndicator } from './progress.js'
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

/** Run `f` now; the returned function gives its result, or throws what it threw, when asked. */
const settle = <T>(f: () => T): (() => T) => {
  try {
    const value = f()
    return () => value
  } catch (e) {
    return () => {
      throw e
    }
  }
}

/** Create a folder (and its parents); a file in the way is named, not reported as a raw EEXIST / ENOTDIR. */
const ensureFolder = (dir: string, what: string): void => {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw e
    throw new StarRocksMvError('FILE_EXISTS', `${dir} cannot be created as the ${what}: a file is in the way (at ${(e as { path?: string }).path ?? dir}). Move the file, or fix the path (paths in srmv.config.ts are relative to the config file).`, { file: dir }, { cause: e })
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
  /** Refresh watchers still running: every one is stopped before srmv returns, whatever happened. */
  const watchers = new Set<{ stop(): Promise<void> }>()
  // `--json` asks for JSON on stdout whatever happens, errors included
  const dashDash = argv.indexOf('--')
  const json = (dashDash < 0 ? argv : argv.slice(0, dashDash)).includes('--json')
  // waits being shown (the lock, a refresh): stopped before anything else is printed
  const waits = new Set<WaitIndicator>()
  const stopWaits = (): void => {
    for (const w of waits) w.stop()
    waits.clear()
  }

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
        `No server configured: set STARROCKS_URL (in the environment or ${join(p.config.dir, '.env')}) or url in ${p.config.file}. Commands that need no server: generate, plan, types, heads, up --sql, down --sql, graph.`,
      )
    }
    const c = await connect(url, queryTimeoutOf(p, url))
    clients.push(c)
    return c
  }
  /** The config's `queryTimeoutSeconds`, unless the URL sets `queryTimeout` (the URL wins). */
  const queryTimeoutOf = (p: Project, url: string): { queryTimeoutMs?: number } => {
    const s = p.config.config.queryTimeoutSeconds
    return s === undefined || parseServerUrl(url).queryTimeoutMs !== undefined ? {} : { queryTimeoutMs: Math.round(s * 1000) }
  }
  const setColor = (cmd: Command): void => {
    printer = new Printer(io, globals(cmd).color)
  }
  const rebuildOf = (value: string | undefined): RebuildOption | undefined => {
    if (value === undefined) return undefined
    if (value === 'swap' || value === 'drop-create' || value === 'error') return value
    throw new Usage(`--rebuild must be swap or drop-create, got "${value}".`)
  }
  const tableRebuildOf = (value: string | undefined): 'error' | 'copy' | undefined => {
    if (value === undefined) return undefined
    if (value === 'copy' || value === 'error') return value
    throw new Usage(`--table-rebuild must be copy, got "${value}".`)
  }
  const tableFlags = (o: { tableRebuild?: string; allowPartitionDrop?: boolean }): { tableRebuild?: 'error' | 'copy'; allowPartitionDrop?: boolean } => {
    const tableRebuild = tableRebuildOf(o.tableRebuild)
    return { ...(tableRebuild === undefined ? {} : { tableRebuild }), ...(o.allowPartitionDrop === true ? { allowPartitionDrop: true } : {}) }
  }
  const seconds = (value: string | undefined, flag: string, positive = false): number | undefined => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new Usage(`${flag} takes a number of seconds, got "${value}".`)
    if (positive && n === 0) throw new Usage(`${flag} must be more than 0 seconds: no refresh finishes in no time. Give the longest wait you accept, e.g. ${flag} 600.`)
    return n
  }
  const versionOf = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined
    try {
      parseVersion(value)
    } catch (e) {
      throw new Usage(`--version: ${(e as Error).message}`)
    }
    return value
  }

  /** The databases health looks at: the config's, else those of the project's MVs (and the connection's for unqualified ones). */
  const healthSchemas = async (p: Project, c: Client, desired?: SchemaState): Promise<string[] | undefined> => {
    const states = [desired ?? (await p.desired()), latestSnapshot(p.config.migrationsDir).state]
    const named = p.schemas(states)
    if (named !== undefined) return named
    const all = new Set(states.flatMap((s) => s.mvs.flatMap((m) => (m.schema === undefined ? [] : [m.schema]))))
    const current = await c.database()
    if (current !== undefined) all.add(current)
    return all.size === 0 ? undefined : [...all].sort()
  }
  const graphHealth = async (p: Project, c: Client, desired: SchemaState): Promise<{ health: Record<string, 'ok' | 'warning' | 'error'>; inactive: string[]; defaultSchema?: string }> => {
    const schemas = await healthSchemas(p, c, desired)
    const report = await health(c, schemas === undefined ? {} : { schemas })
    const current = await c.database()
    return {
      health: Object.fromEntries(report.mvs.map((m) => [m.key, m.level])),
      inactive: report.mvs.filter((m) => !m.active).map((m) => m.key),
      ...(current === undefined ? {} : { defaultSchema: current }),
    }
  }

  const program = new Command('srmv')
  program
    .description('StarRocks materialized views as code: generate, apply and check migrations.')
    // `--version` alone prints srmv's version (below); after a command it is that command's option
    // (`srmv up --sql --version 4.1`: the StarRocks version to render for).
    .version(CLI_VERSION, '-V', 'print the version (also: srmv --version)')
    .option('-C, --cwd <dir>', 'run in this project folder (default: the current folder)')
    .option('-c, --config <file>', 'the config file (default: srmv.config.ts in the project folder)')
    .option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)')
    .showHelpAfterError('(run srmv --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s.replace(/^error: /, 'error [USAGE]: ')) })
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
  srmv check                    # exit 1 on drift (for CI)

Alembic's names work too: upgrade, downgrade, current, heads, revision --autogenerate,
and relative targets (srmv upgrade +1, srmv downgrade -1).`,
    )

  const examples = (cmd: Command, text: string): Command => cmd.addHelpText('after', `\nExamples:\n${text}`)

  // ------------------------------------------------------------------ init
  examples(
    program
      .command('init')
      .description('create srmv.config.ts, schema.ts and migrations/ in the project folder (and make the project type-check: package.json "type", tsconfig.json, .gitignore)')
      .action(async (_o, cmd: Command) => {
        setColor(cmd)
        const dir = cwdOf(globals(cmd))
        const files = initTemplates(basename(dir))
        const existing = Object.keys(files).filter((f) => existsSync(join(dir, f)))
        if (existing.length > 0) {
          throw new StarRocksMvError('FILE_EXISTS', `${existing.map((f) => join(dir, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written. Run init in an empty folder, or edit the files.`)
        }
        const plan = planInit(dir)
        // Every folder first: a file in the way stops init before anything is written.
        for (const folder of new Set(Object.keys(files).map((f) => dirname(join(dir, f))))) ensureFolder(folder, 'project folder')
        for (const [file, content] of Object.entries(files)) {
          writeFileSync(join(dir, file), content, { flag: 'wx' })
          printer.out(`${printer.c.green('created')} ${file}`)
        }
        for (const edit of plan.edits) {
          writeFileSync(join(dir, edit.file), edit.content, edit.action === 'created' ? { flag: 'wx' } : {})
          printer.out(`${printer.c.green(edit.action)} ${edit.file}: ${edit.why}`)
        }
        for (const w of plan.warnings) printer.err(printer.e.yellow(`warning: ${w}`))
        printer.out(`\nNext: edit schema.ts, then run ${printer.c.bold('srmv generate -m "initial"')} and ${printer.c.bold('srmv up --sql')}.`)
      }),
    '  mkdir analytics && cd analytics && srmv init',
  )

  // ------------------------------------------------------------------ pull
  examples(
    program
      .command('pull')
      .description('write a schema module (tables, views and MVs with their full DDL) from what is on the server')
      .option('--schema <db...>', 'the databases to read (default: schemas in srmv.config.ts, else the connection\'s database)')
      .option('-o, --out <file>', 'the file to write (default: the schema module of srmv.config.ts, else schema.ts)')
      .option('--force', 'replace the file when it exists')
      .option('--print', 'print the module on stdout instead of writing it')
      .option('--json', 'print the result as JSON')
      .action(async (o: { schema?: string[]; out?: string; force?: boolean; print?: boolean; json?: boolean }, cmd: Command) => {
        const g = globals(cmd)
        const cwd = cwdOf(g)
        // In a project: its server, databases, schema file and history table. Elsewhere: STARROCKS_URL alone.
        let p: Project | undefined
        try {
          p = await project(cmd)
        } catch (e) {
          if (!(e instanceof StarRocksMvError && e.code === 'CONFIG_NOT_FOUND' && g.config === undefined)) throw e
        }
        const url = p === undefined ? readEnv(cwd, io.env).STARROCKS_URL || undefined : p.config.url
        if (p === undefined) printer = new Printer(io, g.color, secretsOf(url))
        if (url === undefined) {
          throw new StarRocksMvError('NO_CONNECTION', `No server configured: set STARROCKS_URL (in the environment or ${join(p?.config.dir ?? cwd, '.env')})${p === undefined ? '' : ` or url in ${p.config.file}`}, then run srmv pull again.`)
        }
        const c = p === undefined ? await connect(url) : await client(p)
        if (p === undefined) clients.push(c)
        const schemas = o.schema ?? p?.config.config.schemas
        const state = await reflect(c, { objects: ['mvs', 'tables', 'views'], ...(schemas === undefined ? {} : { schemas }) })
        // srmv's own history table and lock view are not part of the schema
        const history = p?.config.config.historyTable ?? DEFAULT_HISTORY_TABLE
        const historyDb = p?.config.config.historySchema ?? (await c.database())
        const ours = (q: QualifiedName): boolean => (q.name === history || q.name === `${history}_lock`) && (q.schema === undefined || q.schema === historyDb)
        const pulled = SchemaState.create(state.mvs, {
          tables: (state.tables ?? []).filter((t) => !ours(t)),
          views: (state.views ?? []).filter((v) => !ours(v)),
          ...(state.serverVersion === undefined ? {} : { serverVersion: state.serverVersion }),
          origin: 'server',
        })
        const read = schemas ?? [(await c.database()) ?? '']
        const module = schemaModuleFromState(pulled, {
          header: [
            `Pulled by \`srmv pull\` from ${read.join(', ')} (StarRocks ${state.serverVersion ?? 'unknown version'}).`,
            'Edit it freely: `srmv plan --from-db` shows what differs from the server.',
          ],
        })
        // what the module declares, loaded as srmv loads it, must be what the server holds
        const differences = await verifySchemaModule(module.source, pulled, await getLoader())
        const differ = (): void => {
          if (differences.length === 0) return
          code = EXIT.PROBLEMS
          if (!o.json) printer.err(printer.e.yellow(`warning: the module differs from the server (edit it, or report the case): ${differences.join('; ')}`))
        }
        const n = module.counts
        const plural = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`
        const summary = `${plural(n.tables, 'table', 'tables')}, ${plural(n.views, 'view', 'views')}, ${plural(n.mvs, 'materialized view', 'materialized views')}`
        if (o.print) {
          if (o.json) printer.json({ written: false, source: module.source, counts: n, references: module.references, exports: module.exports, warnings: module.warnings, differences })
          else io.stdout.write(module.source)
          for (const w of o.json ? [] : module.warnings) printer.err(printer.e.yellow(`warning: ${w}`))
          differ()
          return
        }
        const file = o.out === undefined ? (p?.config.schemaFile ?? join(cwd, 'schema.ts')) : resolve(cwd, o.out)
        // --force replaces a schema module, never the project's config, a migration, a snapshot or
        // deployed.d.ts (paths compared without case where the file system usually ignores it)
        const same = (a: string, b: string): boolean => (process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b)
        const migrationsFile =
          p !== undefined && same(dirname(file), p.config.migrationsDir) && (/^\d{14}_/.test(basename(file)) || same(basename(file), DEPLOYED_TYPES_FILE))
        if (p !== undefined && (same(file, p.config.file) || migrationsFile)) {
          throw new StarRocksMvError(
            'FILE_EXISTS',
            `${file} is ${migrationsFile ? `a file of the migrations folder (${p.config.migrationsDir})` : "the project's config file"}; srmv pull writes a schema module and never writes there, even with --force. Nothing was written. Choose another --out file.`,
            { file },
          )
        }
        if (existsSync(file) && !o.force) {
          throw new StarRocksMvError('FILE_EXISTS', `${file} already exists; nothing was written. Pass --force to replace it, --out <file> to write elsewhere, or --print to see the module first.`, { file })
        }
        ensureFolder(dirname(file), 'folder of the schema module')
        writeFilesAtomically([{ path: file, content: module.source, replace: o.force === true }])
        if (o.json) {
          printer.json({ written: true, file, counts: n, references: module.references, exports: module.exports, warnings: module.warnings, differences })
          differ()
          return
        }
        printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, file) || file}: ${summary}${module.references === 0 ? '' : ` (${plural(module.references, 'typed reference', 'typed references')} in queries)`}`)
        for (const w of module.warnings) printer.err(printer.e.yellow(`warning: ${w}`))
        differ()
        if (differences.length === 0) printer.out(`\nChecked: loaded back, the module equals the server. ${printer.c.bold('srmv plan --from-db')} shows no changes.`)
      }),
    '  srmv pull                          # the connection\'s database into the schema module\n  srmv pull --schema shop analytics --out schema.ts --force\n  srmv pull --print > pulled.ts',
  )

  // ------------------------------------------------------------------ generate
  type GenerateOpts = { message: string; fromDb?: boolean; rebuild?: string; tableRebuild?: string; allowPartitionDrop?: boolean; empty?: boolean; json?: boolean }
  let generate: (o: GenerateOpts, cmd: Command) => Promise<void> = async () => undefined
  examples(
    program
      .command('generate')
      .description('write a migration for the difference between the latest snapshot (or the server) and the schema module')
      .requiredOption('-m, --message <text>', 'what the migration does (names the file)')
      .option('--from-db', 'diff the live server instead of the latest snapshot')
      .option('--rebuild <strategy>', 'rebuild changes StarRocks cannot ALTER: swap (no downtime, 3.1+) or drop-create')
      .option('--table-rebuild <strategy>', 'rebuild managed tables StarRocks cannot ALTER: copy (new table, INSERT ... SELECT, SWAP WITH)')
      .option('--allow-partition-drop', 'acknowledge DROP PARTITION of managed tables (the data is lost)')
      .option('--empty', 'an empty migration to write by hand')
      .option('--json', 'print the result as JSON')
      .action((generate = async (o: GenerateOpts, cmd: Command) => {
        const p = await project(cmd)
        const rebuild = rebuildOf(o.rebuild) ?? p.config.config.rebuild
        const loading = p.desiredModule()
        // read the latest snapshot while esbuild (its own process) transforms the schema module; a
        // broken module is still reported before a broken snapshot
        const latest = settle(() => latestSnapshotForPlan(p.config.migrationsDir))
        const { state: desired, definesSchema } = await loading
        const snapshot = latest()
        const live = o.fromDb ? await reflectManaged(p, await client(p), [desired, snapshot.state]) : undefined
        // Everything is checked and rendered first (plan, statements, id, printed plan, types);
        // then the migration, its snapshot and deployed.d.ts are written together or not at all.
        const prepared = prepareMigration({
          dir: p.config.migrationsDir,
          message: o.message,
          desired,
          latest: snapshot,
          version: p.version,
          ...(live === undefined ? {} : { from: live.state, compare: 'live' as const }),
          ...(live?.defaultSchema === undefined ? {} : { defaultSchema: live.defaultSchema }),
          ...(rebuild === undefined ? {} : { rebuild }),
          ...(p.config.config.tableRebuild === undefined ? {} : { tableRebuild: p.config.config.tableRebuild }),
          ...tableFlags(o),
          ...(o.empty ? { empty: true } : {}),
        })
        const result = prepared.result
        const planText = result.kind === 'written' && result.plan !== undefined && !o.json ? formatPlan(result.plan, { version: p.version, color: printer.c.isColorSupported }) : undefined
        // deployed.d.ts serves defineSchema's compile-time checks: kept up to date once it exists, and
        // written for a module that uses defineSchema; a module of plain exports is spared the work
        const types =
          definesSchema || existsSync(join(p.config.migrationsDir, DEPLOYED_TYPES_FILE))
            ? deployedTypesFile(p.config.migrationsDir, prepared.latest.state, prepared.latest.source, p.version)
            : { file: join(p.config.migrationsDir, DEPLOYED_TYPES_FILE), content: '', changed: false }
        const files = [...prepared.files, ...(types.changed ? [{ path: types.file, content: types.content, replace: true }] : [])]
        if (files.length > 0) {
          ensureFolder(p.config.migrationsDir, 'migrations folder')
          writeFilesAtomically(files)
        }
        const typesFile = types.changed ? types.file : null
        if (result.kind === 'nothing') {
          if (o.json) printer.json({ written: false, reason: 'no changes', deployedTypes: typesFile })
          else printer.out(`No changes: the schema module matches ${o.fromDb ? 'the server' : 'the latest snapshot'}. Nothing was written.`)
          if (!o.json && types.changed) printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, types.file)}`)
          return
        }
        if (o.json) {
          printer.json({ written: true, id: result.id, file: result.file, snapshot: result.snapshotFile, ops: result.up.length, irreversible: result.irreversible ?? null, deployedTypes: typesFile })
          return
        }
        printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, result.file)}`)
        printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, result.snapshotFile)}`)
        if (types.changed) printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, types.file)}`)
        if (planText !== undefined) printer.out(`\n${planText}`)
        if (result.irreversible !== undefined) printer.err(printer.e.yellow(`warning: down() cannot be derived: ${result.irreversible} Edit down() by hand.`))
      })),
    '  srmv generate -m "add daily sales"\n  srmv generate -m "more buckets" --rebuild swap\n  srmv generate -m "fix drift" --from-db\n  srmv generate -m "backfill" --empty',
  )

  // Alembic's name: `revision --autogenerate` diffs, a bare `revision` writes an empty migration.
  examples(
    program
      .command('revision', { hidden: true })
      .description('Alembic\'s name for generate: with --autogenerate, srmv generate; without, srmv generate --empty')
      .requiredOption('-m, --message <text>', 'what the migration does (names the file)')
      .option('--autogenerate', 'diff the schema module (without it: an empty migration to write by hand)')
      .option('--from-db', 'with --autogenerate: diff the live server instead of the latest snapshot')
      .option('--rebuild <strategy>', 'rebuild changes StarRocks cannot ALTER: swap (no downtime, 3.1+) or drop-create')
      .option('--json', 'print the result as JSON')
      .action((o: GenerateOpts & { autogenerate?: boolean }, cmd: Command) => generate({ ...o, ...(o.autogenerate ? {} : { empty: true }) }, cmd)),
    '  srmv revision --autogenerate -m "add daily sales"   # srmv generate -m "add daily sales"\n  srmv revision -m "backfill"                          # srmv generate -m "backfill" --empty',
  )

  // ------------------------------------------------------------------ plan
  examples(
    program
      .command('plan')
      .description('show what a new migration would do (nothing is written)')
      .option('--from-db', 'diff the live server instead of the latest snapshot')
      .option('--rebuild <strategy>', 'swap or drop-create for changes StarRocks cannot ALTER')
      .option('--table-rebuild <strategy>', 'copy: rebuild managed tables StarRocks cannot ALTER by copy')
      .option('--allow-partition-drop', 'acknowledge DROP PARTITION of managed tables (the data is lost)')
      .option('--json', 'print the plan as JSON')
      .action(async (o: { fromDb?: boolean; rebuild?: string; tableRebuild?: string; allowPartitionDrop?: boolean; json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const rebuild = rebuildOf(o.rebuild)
        const { plan } = await planProject(p, { ...(o.fromDb ? { client: await client(p) } : {}), ...(rebuild === undefined ? {} : { rebuild }), ...tableFlags(o) })
        if (o.json) printer.json(planToJSON(plan, { version: p.version }))
        else printer.out(formatPlan(plan, { version: p.version, color: printer.c.isColorSupported }))
        if (plan.problems.length > 0) code = EXIT.PROBLEMS
      }),
    '  srmv plan\n  srmv plan --rebuild swap --json\n  srmv plan --from-db',
  )

  // ------------------------------------------------------------------ up / down
  const printSql = async (
    p: Project,
    o: { sql?: boolean; withHistory?: boolean; from?: string; server?: string; json?: boolean; version?: string },
    direction: 'up' | 'down',
    to: string | undefined,
  ): Promise<void> => {
    const version = versionOf(o.version)
    const m = p.migrator(undefined, version === undefined ? {} : { version })
    // name the targets as the user gave them (a positional target, --from) before the runner looks them up
    const files = m.files()
    if (to !== undefined && to !== 'head' && to !== 'base') findTarget(files, to, direction)
    if (o.from !== undefined && o.from !== 'head' && o.from !== 'base') findTarget(files, o.from, `${direction} --from`)
    const server = o.server === undefined ? undefined : o.server === 'mysql' || o.server === 'starrocks' ? o.server : undefined
    if (o.server !== undefined && server === undefined) throw new Usage(`--server must be starrocks or mysql, got "${o.server}".`)
    const plan = await m.sqlPlan({ direction, ...(o.from === undefined ? {} : { from: o.from }), ...(to === undefined ? {} : { to }), ...(o.withHistory ? { withHistory: true } : {}), ...(server === undefined ? {} : { server }) })
    if (o.json) {
      printer.json([...plan.before, ...plan.migrations.flatMap((x) => x.statements), ...plan.after])
      return
    }
    const source = version !== undefined ? '--version' : p.config.config.version !== undefined ? `version in ${basename(p.config.file)}` : 'the default: no version in the config'
    printer.out(`-- srmv ${direction} --sql: rendered for StarRocks ${plan.version} (${source}).`)
    printer.out(`-- A connected \`srmv ${direction}\` renders for the server's own version; give --version <v> to render for another.\n`)
    for (const s of plan.before) printer.out(`${s};\n`)
    for (const x of plan.migrations) {
      printer.out(`-- migration ${x.name} (${x.direction})`)
      for (const s of x.statements) printer.out(`${s};\n`)
    }
    for (const s of plan.after) printer.out(`${s};\n`)
  }

  /** Render the runner's events on stderr (the library itself prints nothing). */
  const progress = (p: Project, json: boolean | undefined) => {
    let lockWait: WaitIndicator | undefined
    let watcher: { stop(): Promise<void> } | undefined
    const endLockWait = (): void => {
      lockWait?.stop()
      if (lockWait !== undefined) waits.delete(lockWait)
      lockWait = undefined
    }
    return (ev: MigratorEvent): void => {
      if (json) return
      if (ev.kind !== 'lock-wait') endLockWait()
      switch (ev.kind) {
        case 'lock-wait': {
          const holder = describeOwner(ev.holder)
          if (lockWait === undefined) {
            lockWait = new WaitIndicator({ stream: io.stderr, label: `waiting for the lock held by ${holder}`, mask: (t) => printer.mask(t) })
            waits.add(lockWait)
          } else lockWait.update(`now held by ${holder}`)
          break
        }
        case 'migration':
          printer.err(`${printer.e.bold(ev.direction === 'up' ? 'applying' : 'reverting')} ${ev.name}${ev.resume ? ' (resuming)' : ''}: ${ev.statements} statement${ev.statements === 1 ? '' : 's'}`)
          break
        case 'statement': {
          const first = ev.sql.split('\n')[0] ?? ''
          printer.err(printer.e.dim(`  [${ev.index + 1}/${ev.total}] ${first.length > 100 ? `${first.slice(0, 100)}...` : first}`))
          if (watcher !== undefined) void watcher.stop()
          watcher = ev.op?.kind === 'refreshMaterializedView' && ev.op.wait ? watchRefresh(p, ev.op.target) : undefined
          break
        }
        case 'statement-done':
          if (watcher !== undefined) void watcher.stop()
          watcher = undefined
          break
        case 'migration-done':
          // the result ("applied <name>") is printed once, on stdout, when the run ends
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

  /**
   * Show a waiting REFRESH: a line at once, then the refresh's state read through a second
   * connection every few seconds (a live line on a terminal, a line per change of state otherwise).
   * Registered in `watchers` until stopped: a statement that fails or times out ends the run without
   * a `statement-done`, and srmv stops every watcher before it returns.
   */
  const watchRefresh = (p: Project, target: QualifiedName): { stop(): Promise<void> } => {
    const indicator = new WaitIndicator({ stream: io.stderr, label: `  waiting for the refresh of ${QualifiedName.key(target)}`, mask: (t) => printer.mask(t) })
    waits.add(indicator)
    let stopped = false
    let connecting: Promise<Client> | undefined
    let polling: Promise<void> | undefined
    const poll = async (): Promise<void> => {
      if (stopped) return
      try {
        if (p.config.url !== undefined) {
          // progress reads are small: a short bound keeps a stuck server from holding the watcher
          connecting ??= connect(p.config.url, { queryTimeoutMs: 10_000, connectTimeoutMs: 10_000 })
          const second = await connecting
          if (stopped) return
          const r = await readRefreshProgress(second, target)
          if (r !== undefined && !stopped) indicator.update(`${r.state}${r.progress === undefined ? '' : ` ${r.progress}`}`)
        }
      } catch {
        // progress is best effort; the statement itself reports failure
      }
    }
    const tick = (): void => {
      if (polling !== undefined) return
      polling = poll().finally(() => {
        polling = undefined
      })
    }
    tick()
    const timer = setInterval(tick, 2000)
    timer.unref?.()
    const watcher = {
      async stop(): Promise<void> {
        if (stopped) return
        stopped = true
        watchers.delete(watcher)
        clearInterval(timer)
        indicator.stop()
        waits.delete(indicator)
        // the second connection is closed once the poll in flight (if any) has ended
        await polling?.catch(() => undefined)
        const second = await connecting?.catch(() => undefined)
        await second?.close().catch(() => undefined)
      },
    }
    watchers.add(watcher)
    return watcher
  }

  const printRun = (r: RunReport, json: boolean | undefined): void => {
    stopWaits()
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

  const runOptions = (cmd: Command, direction: 'up' | 'down'): Command => {
    cmd
      .option('--sql', 'print the statements instead of running them (offline: no server needed)')
      .option('--with-history', 'with --sql: include the history table, lock and history statements')
      .addOption(new Option('--server <kind>', 'with --with-history: the server the script is for').choices(['starrocks', 'mysql']))
      .option('--from <id>', direction === 'up' ? 'with --sql: the migration already applied; print what comes after it' : 'with --sql: the latest migration applied; revert from it')
      .option('--resume', 'continue a partial migration from the first statement not recorded')
      .option('--wait-lock <seconds>', 'wait this long for another runner to finish')
      .option('--dry-run', 'connect and check everything; write nothing')
    if (direction === 'up') cmd.option('--allow-unordered', 'apply pending migrations older than an applied one')
    return cmd
      .option('--refresh-timeout <seconds>', 'how long to wait for a refresh that a migration waits for (more than 0)')
      .option('--version <version>', 'render for this StarRocks version (default: the server\'s when connected; the config\'s with --sql)')
      .option('--json', 'print the result as JSON')
  }

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
    version?: string
  }

  /** The `n`-th of `candidates` (1-based), for a relative target `+n`. */
  const nthAfter = <T extends { readonly id: string }>(candidates: readonly T[], n: number, target: string, offline = false): T => {
    const hit = candidates[n - 1]
    if (hit === undefined) {
      const verb = candidates.length === 1 ? (offline ? 'migration comes' : 'migration is') : offline ? 'migrations come' : 'migrations are'
      throw new StarRocksMvError(
        'UNKNOWN_TARGET',
        `${target}: only ${candidates.length} ${verb} ${offline ? 'after the starting point (--from, or none)' : 'pending'}, so there is no ${target}. ${offline ? 'Run srmv heads to see the latest.' : 'Run srmv status to see them.'}`,
        { target },
      )
    }
    return hit
  }

  const migratorFor = async (p: Project, o: RunOpts, command: string) => {
    const waitLockSeconds = seconds(o.waitLock, '--wait-lock')
    const refreshTimeoutSeconds = seconds(o.refreshTimeout, '--refresh-timeout', true)
    const version = versionOf(o.version)
    const checkpoint = testCheckpoint(io.env)
    return p.migrator(await client(p), {
      command,
      ...(version === undefined ? {} : { version }),
      onEvent: progress(p, o.json),
      ...(checkpoint === undefined ? {} : { checkpoint }),
      ...(waitLockSeconds === undefined ? {} : { waitLockSeconds }),
      ...(refreshTimeoutSeconds === undefined ? {} : { refreshTimeoutSeconds }),
      ...(o.allowUnordered ? { allowUnordered: true } : {}),
    })
  }

  examples(
    runOptions(program.command('up').alias('upgrade').argument('[target]', 'the last migration to apply (id, id prefix, file name, head, or +n for the next n; default: all)'), 'up')
      .description('apply pending migrations, in order')
      .action(async (target: string | undefined, o: RunOpts, cmd: Command) => {
        const p = await project(cmd)
        const next = relativeTarget(target)
        if (o.sql) {
          if (next === undefined) return printSql(p, o, 'up', target)
          // offline, "the next n" counts from --from (or from the first migration)
          const files = p.migrator().files()
          const fromIdx = o.from === undefined || o.from === 'base' ? -1 : files.indexOf(findTarget(files, o.from, 'up --from'))
          return printSql(p, o, 'up', nthAfter(files.slice(fromIdx + 1), next, target as string, true).id)
        }
        const m = await migratorFor(p, o, 'up')
        const to = next === undefined ? target : nthAfter((await m.status()).migrations.filter((s) => s.state === 'pending'), next, target as string).id
        printRun(await m.up({ ...(to === undefined ? {} : { to }), ...(o.resume ? { resume: true } : {}), ...(o.dryRun ? { dryRun: true } : {}) }), o.json)
      }),
    '  srmv up\n  srmv up 20250101120000\n  srmv up +1                   # the next pending migration only\n  srmv up --sql > migrate.sql\n  srmv up --sql --with-history\n  srmv up --resume\n  srmv up --wait-lock 120',
  )

  examples(
    runOptions(program.command('down').alias('downgrade').argument('[target]', 'revert every migration after this one (base: all; -n: the last n, as --steps n)'), 'down')
      .description('revert applied migrations, latest first (default: one)')
      .option('-n, --steps <n>', 'how many migrations to revert')
      .action(async (target: string | undefined, o: RunOpts, cmd: Command) => {
        const p = await project(cmd)
        if (target !== undefined && o.steps !== undefined) throw new Usage('Give either a target or --steps, not both.')
        // digits only: Number() would read "1e3" as 1000 and "0x10" as 16
        const steps = o.steps === undefined ? undefined : /^\s*\d+\s*$/.test(o.steps) ? Number(o.steps) : Number.NaN
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
    '  srmv down\n  srmv down --steps 2\n  srmv down -2                  # the same, as Alembic writes it\n  srmv down base\n  srmv down 20250101120000 --sql',
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
    if (s.notes.length > 0) {
      printer.out(`\n${c.yellow('Notes:')}`)
      for (const n of s.notes) printer.out(`- ${n}`)
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
      .command('current')
      .description('the last migration applied on the server (Alembic\'s current)')
      .option('--json', 'print as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const s = await p.migrator(await client(p)).status()
        const applied = s.migrations.filter((m) => m.state === 'applied').at(-1)
        const head = s.migrations.at(-1)
        const isHead = applied !== undefined && applied.id === head?.id
        if (o.json) printer.json({ current: applied === undefined ? null : { id: applied.id, name: applied.name, head: isHead }, problems: s.problems })
        else if (applied === undefined) printer.out('base: no migration is applied.')
        else printer.out(`${applied.name}${isHead ? ' (head)' : ''}`)
        if (s.problems.length > 0) {
          if (!o.json) for (const problem of s.problems) printer.err(printer.e.yellow(`warning: ${problem}`))
          code = EXIT.PROBLEMS
        }
      }),
    '  srmv current\n  srmv current --json',
  )

  examples(
    program
      .command('heads')
      .description('the latest migration file (Alembic\'s heads; migrations here are one line, so there is one head)')
      .option('--json', 'print as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const head = listMigrationFiles(p.config.migrationsDir).at(-1)
        if (o.json) printer.json({ heads: head === undefined ? [] : [{ id: head.id, name: head.name }] })
        else printer.out(head === undefined ? 'No migrations yet. Run srmv generate -m "<message>".' : `${head.name} (head)`)
      }),
    '  srmv heads\n  srmv heads --json',
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
      .option('--statement <k>', 'with --ran / --not-run: the statement you mean (1-based); refused if another one is unsettled')
      .description('settle a partial, changed or missing migration (or its one statement of unknown outcome) after checking the server by hand')
      .action(async (id: string, o: { applied?: boolean; rolledBack?: boolean; ran?: boolean; notRun?: boolean; statement?: string }, cmd: Command) => {
        const chosen = [o.applied, o.rolledBack, o.ran, o.notRun].filter((x) => x === true).length
        if (chosen !== 1) throw new Usage('resolve needs exactly one of --applied, --rolled-back (the whole migration), --ran or --not-run (its statement of unknown outcome).')
        const statement = o.statement === undefined ? undefined : Number(o.statement)
        if (o.statement !== undefined && (o.applied || o.rolledBack)) throw new Usage('--statement goes with --ran or --not-run, not with --applied / --rolled-back.')
        if (statement !== undefined && (!/^\d+$/.test(o.statement ?? '') || !Number.isSafeInteger(statement) || statement < 1)) {
          throw new Usage(`--statement takes a statement number (1 for the first), got "${o.statement}".`)
        }
        const p = await project(cmd)
        const m = await migratorFor(p, {}, 'resolve')
        if (o.ran || o.notRun) {
          const r = await m.resolveStatement(id, o.ran ? 'ran' : 'not-run', statement === undefined ? {} : { statement })
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
        else for (const f of findings) printer.out(`${printer.c.red(f.kind === 'invalid-migration' ? 'invalid' : 'drift')} ${f.message}`)
        if (findings.length > 0) code = EXIT.PROBLEMS
      }),
    '  srmv check\n  srmv check --offline',
  )

  examples(
    program
      .command('graph')
      .description('the dependency graph of the schema module (Mermaid or Graphviz DOT); MVs coloured by health when a server is configured')
      .addOption(new Option('--format <format>', 'mermaid or dot').choices(['mermaid', 'dot']).default('mermaid'))
      .option('--offline', 'do not read the server (no health colours)')
      .action(async (o: { format: 'mermaid' | 'dot'; offline?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const desired = await p.desired()
        let live: Awaited<ReturnType<typeof graphHealth>> | undefined
        if (!o.offline && p.config.url !== undefined) {
          try {
            live = await graphHealth(p, await client(p), desired)
          } catch (e) {
            // The graph stands without the server: a server that cannot be reached or read only costs the colours.
            if (exitCodeOf(e) !== EXIT.CONNECTION && exitCodeOf(e) !== EXIT.SQL) throw e
            printer.err(printer.e.yellow(`warning: no health colours: ${e instanceof Error ? e.message : String(e)}`))
          }
        }
        printer.out(graph(desired, { format: o.format, ...live }))
      }),
    '  srmv graph\n  srmv graph --format dot | dot -Tsvg > mvs.svg\n  srmv graph --offline',
  )

  // ------------------------------------------------------------------ health
  examples(
    program
      .command('health')
      .description('inactive MVs, failed and running refreshes, stale scheduled MVs and MVs behind their base tables; exit 1 on errors (for CI and alerting)')
      .option('--schema <db...>', 'the databases to check (default: those of the schema module, or the connection\'s)')
      .option('--grace <seconds>', 'how late a scheduled refresh may be before the MV is stale', '600')
      .addOption(new Option('--fail-on <level>', 'exit 1 on errors only, or on warnings too').choices(['error', 'warning']).default('error'))
      .option('--fix', 'write a migration that re-activates the inactive MVs (ALTER ... ACTIVE), bases first')
      .option('-m, --message <text>', 'the message of the --fix migration', 'reactivate inactive materialized views')
      .option('--json', 'print the report as JSON')
      .action(async (o: { schema?: string[]; grace: string; failOn: 'error' | 'warning'; fix?: boolean; message: string; json?: boolean }, cmd: Command) => {
        // a bad value is a usage error before anything else is tried (the config, the server)
        const graceSeconds = seconds(o.grace, '--grace') as number
        const p = await project(cmd)
        const c = await client(p)
        const schemas = o.schema ?? (await healthSchemas(p, c))
        const report = await health(c, { graceSeconds, ...(schemas === undefined ? {} : { schemas }) })
        const fixOps = o.fix ? reactivationOps(report) : []
        const written = fixOps.length === 0 ? undefined : generateMigration({ dir: p.config.migrationsDir, message: o.message, desired: latestSnapshot(p.config.migrationsDir).state, version: p.version, ops: fixOps })
        const file = written?.kind === 'written' ? written.file : undefined
        if (o.json) printer.json({ ...report, ...(o.fix ? { fix: file === undefined ? null : { file, statements: toStatements(fixOps, { version: p.version }) } } : {}) })
        else {
          printer.out(formatHealth(report, printer.c))
          if (file !== undefined) printer.out(`${printer.c.green('wrote')} ${relative(io.cwd, file)} (${fixOps.length} re-activation${fixOps.length === 1 ? '' : 's'}; apply with srmv up)`)
          else if (o.fix) printer.out('Nothing to fix: no MV is inactive. Nothing was written.')
        }
        if (report.level === 'error' || (o.failOn === 'warning' && report.level === 'warning')) code = EXIT.PROBLEMS
      }),
    '  srmv health\n  srmv health --json --fail-on warning   # for CI and alerting\n  srmv health --fix && srmv up --sql\n  srmv health --schema analytics --grace 300\n\n' +
      'Exit codes: 0 healthy (warnings allowed unless --fail-on warning), 1 an MV is inactive or its last refresh failed\n' +
      '(with --fail-on warning, also stale or behind its base tables), 3 connection, 4 SQL error.',
  )

  // ------------------------------------------------------------------ types
  examples(
    program
      .command('types')
      .description('write deployed.d.ts in the migrations folder: the MVs of the latest snapshot, which defineSchema checks the schema module against')
      .option('--json', 'print the result as JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const p = await project(cmd)
        const r = writeDeployedTypes(p.config.migrationsDir, { version: p.version })
        if (o.json) printer.json(r)
        else printer.out(`${r.written ? printer.c.green('wrote') : 'up to date:'} ${relative(io.cwd, r.file)} (${r.mvs} MV${r.mvs === 1 ? '' : 's'})`)
      }),
    '  srmv types                    # also done by srmv generate',
  )

  try {
    if (argv.length === 1 && argv[0] === '--version') {
      io.stdout.write(`${CLI_VERSION}\n`)
      return EXIT.OK
    }
    await program.parseAsync(rewriteRelativeTargets(argv), { from: 'user' })
  } catch (e) {
    stopWaits()
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK
      // commander has printed the message on stderr (with the code, see configureOutput)
      if (json) printer.json({ error: { code: 'USAGE', message: e.message.replace(/^error: /, ''), hint: 'Run srmv --help, or srmv <command> --help, for the commands, options and examples.' } })
      return EXIT.USAGE
    }
    code = exitCodeOf(e)
    const report = errorReport(e)
    if (json) printer.json({ error: report })
    printer.err(`${printer.e.red('error')} [${report.code}]: ${report.message}`)
    if (!(e instanceof StarRocksMvError) && e instanceof Error && e.stack !== undefined && io.env.SRMV_DEBUG) printer.err(e.stack)
  } finally {
    for (const w of [...watchers]) await w.stop()
    for (const c of clients) await c.close().catch(() => undefined)
  }
  return code
}
