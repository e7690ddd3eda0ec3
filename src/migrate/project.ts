import type { Client } from '../db/client.js'
import { parseServerUrl } from '../db/connect.js'
import { desiredState, diff, describeChange, mvKey, parseState, tableChanges, viewChanges, type DiffResult, type RebuildOption } from '../diff/index.js'
import { isStarRocksMvError, StarRocksMvError } from '../errors.js'
import { DEFAULT_VERSION, SchemaState } from '../model/index.js'
import { reflect } from '../reflect/index.js'
import { describeDrift, describeTableDrift, describeViewDrift } from './describe-drift.js'
import { latestSnapshot } from './generate.js'
import { DEFAULT_HISTORY_TABLE } from './history.js'
import { loadConfig, type LoadedConfig } from './load-config.js'
import { isSchemaDefinition } from './define-schema.js'
import { collectCheckedSchema, loadSchema, type SchemaEntry } from './load-schema.js'
import { collectTablesAndViews } from './load-objects.js'
import { listMigrationFiles, loadMigration, readSnapshot } from './migration-files.js'
import { Migrator, type MigratorOptions } from './migrator.js'
import type { ModuleLoader } from './module-loader.js'

/** A loaded `srmv` project: its config, schema module and migrations. */
export interface Project {
  readonly config: LoadedConfig
  readonly load: ModuleLoader
  /** The version to render for offline (config, else 3.5). */
  readonly version: string
  /** The MVs of the schema module. */
  schema(): Promise<SchemaEntry[]>
  /** The desired state (intents kept). */
  desired(): Promise<SchemaState>
  /**
   * The desired state, and whether the schema module's default export is a `defineSchema(...)`
   * (whose compile-time checks read `migrations/deployed.d.ts`). The module is loaded once.
   */
  desiredModule(): Promise<{ readonly state: SchemaState; readonly definesSchema: boolean }>
  /**
   * A runner over the project's migrations. Connected (a `client`), it renders for the server's
   * version; the config's `version` is for offline work only. `extra.version` overrides both.
   */
  migrator(client?: Client, extra?: Partial<MigratorOptions>): Migrator
  /** The databases to read from a server: the config's `schemas`, else those the schema module and snapshots name (MVs, tables, views). */
  schemas(states: readonly SchemaState[]): string[] | undefined
}

/** The database of a server URL (where unqualified MVs live), or undefined when it names none or does not parse. */
const urlDatabase = (url: string | undefined): string | undefined => {
  if (url === undefined) return undefined
  try {
    const db = parseServerUrl(url).database
    return db === '' ? undefined : db
  } catch {
    return undefined
  }
}

/** Load the config (and lazily the schema module) of the project in `cwd`. */
export const openProject = async (options: {
  readonly cwd: string
  readonly configPath?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly load: ModuleLoader
}): Promise<Project> => {
  const config = await loadConfig(options)
  const c = config.config
  const database = urlDatabase(config.url)
  const collect = database === undefined ? {} : { defaultSchema: database }
  // one load of the schema module gives its MVs, tables and views (a 10,000-MV module costs seconds to load)
  const desiredModule = async (): Promise<{ state: SchemaState; definesSchema: boolean }> => {
    const ns = await options.load(config.schemaFile)
    const entries = collectCheckedSchema(ns, config.schemaFile, collect)
    return {
      state: desiredState([...entries.map((e) => e.definition), ...collectTablesAndViews(ns)]),
      definesSchema: isSchemaDefinition(ns.default),
    }
  }
  return {
    config,
    load: options.load,
    version: c.version ?? DEFAULT_VERSION,
    schema: () => loadSchema(config.schemaFile, options.load, collect),
    desired: async () => (await desiredModule()).state,
    desiredModule,
    migrator: (client, extra = {}) =>
      new Migrator({
        dir: config.migrationsDir,
        load: options.load,
        table: c.historyTable ?? DEFAULT_HISTORY_TABLE,
        ...(client === undefined ? {} : { client }),
        ...(c.historySchema === undefined ? {} : { schema: c.historySchema }),
        ...(c.version === undefined || client !== undefined ? {} : { version: c.version }),
        ...(c.project === undefined ? {} : { project: c.project }),
        ...(c.historyProperties === undefined ? {} : { historyProperties: c.historyProperties }),
        ...(c.refreshTimeoutSeconds === undefined ? {} : { refreshTimeoutSeconds: c.refreshTimeoutSeconds }),
        ...extra,
      }),
    schemas: (states) => {
      if (c.schemas !== undefined) return [...c.schemas]
      const named = new Set<string>()
      let unqualified = false
      for (const s of states) {
        for (const o of [...s.mvs, ...SchemaState.tables(s), ...(s.views ?? [])]) o.schema === undefined ? (unqualified = true) : named.add(o.schema)
      }
      if (named.size === 0) return undefined
      return unqualified ? undefined : [...named].sort()
    },
  }
}

/**
 * Keep only the MVs, tables and views of `state` whose keys appear in one of `managed`: a server's
 * other objects are not ours to drop.
 */
export const managedOnly = (state: SchemaState, managed: readonly SchemaState[], defaultSchema?: string): SchemaState => {
  const resolve = defaultSchema === undefined ? {} : { defaultSchema }
  const keys = (pick: (s: SchemaState) => readonly { readonly name: string; readonly schema?: string }[]): Set<string> =>
    new Set(managed.flatMap((s) => pick(s).map((o) => mvKey(o, resolve))))
  const mvs = keys((s) => s.mvs)
  const tables = keys((s) => SchemaState.tables(s))
  const views = keys((s) => s.views ?? [])
  return SchemaState.create(
    state.mvs.filter((m) => mvs.has(mvKey(m, resolve))),
    {
      ...(state.status === undefined ? {} : { status: { ...state.status } }),
      ...(state.serverVersion === undefined ? {} : { serverVersion: state.serverVersion }),
      tables: SchemaState.tables(state).filter((t) => tables.has(mvKey(t, resolve))),
      views: (state.views ?? []).filter((v) => views.has(mvKey(v, resolve))),
      ...(state.origin === undefined ? {} : { origin: state.origin }),
    },
  )
}

/**
 * The keys of the managed tables and views that information_schema cannot show in full: tables
 * that declare indexes or AUTO_INCREMENT columns, views that declare SECURITY. `reflect` reads these
 * (and only these, besides the aggregate and partitioned tables) with SHOW CREATE.
 */
const needsShowCreate = (managed: readonly SchemaState[], defaultSchema: string | undefined): string[] => {
  const resolve = defaultSchema === undefined ? {} : { defaultSchema }
  const keys = new Set<string>()
  for (const s of managed) {
    for (const t of SchemaState.tables(s)) {
      if ((t.indexes ?? []).length > 0 || t.columns.some((c) => c.autoIncrement === true)) keys.add(mvKey(t, resolve))
    }
    for (const v of s.views ?? []) if (v.security !== undefined) keys.add(mvKey(v, resolve))
  }
  return [...keys].sort()
}

/**
 * Read the project's MVs, tables and views from a server (only those the project manages: a server's
 * other objects are never planned away), with the connection's database, where unqualified ones live.
 */
export const reflectManaged = async (
  project: Project,
  client: Client,
  managed: readonly SchemaState[],
): Promise<{ readonly state: SchemaState; readonly defaultSchema?: string }> => {
  const schemas = project.schemas(managed)
  const defaultSchema = await client.database()
  let live: SchemaState
  try {
    const showCreate = needsShowCreate(managed, defaultSchema)
    live = await reflect(client, { objects: ['mvs', 'tables', 'views'], ...(schemas === undefined ? {} : { schemas }), ...(showCreate.length === 0 ? {} : { showCreate }) })
  } catch (e) {
    if (!isStarRocksMvError(e, 'SQL_ERROR')) throw e
    throw new StarRocksMvError(
      e.code,
      `Reading the materialized views, tables and views on the server failed: ${e.message}. Check the server and that this user may read information_schema, then run again.`,
      e.details,
      { cause: e },
    )
  }
  return { state: managedOnly(live, managed, defaultSchema), ...(defaultSchema === undefined ? {} : { defaultSchema }) }
}

/** The plan from the latest snapshot (or the live server) to the schema module. */
export const planProject = async (
  project: Project,
  options: { readonly client?: Client; readonly rebuild?: RebuildOption; readonly tableRebuild?: 'error' | 'copy'; readonly allowPartitionDrop?: boolean } = {},
): Promise<{ plan: DiffResult; from: SchemaState; to: SchemaState }> => {
  const to = await project.desired()
  const latest = latestSnapshot(project.config.migrationsDir).state
  const rebuild = options.rebuild ?? project.config.config.rebuild
  const live = options.client === undefined ? undefined : await reflectManaged(project, options.client, [to, latest])
  const from = live === undefined ? latest : live.state
  const plan = diff(from, to, {
    ...(rebuild === undefined ? {} : { rebuild }),
    ...((options.tableRebuild ?? project.config.config.tableRebuild) === undefined ? {} : { tableRebuild: options.tableRebuild ?? project.config.config.tableRebuild }),
    ...(options.allowPartitionDrop === undefined ? {} : { allowPartitionDrop: options.allowPartitionDrop }),
    version: project.version,
    ...(live === undefined ? {} : { compare: 'live' as const }),
    ...(live?.defaultSchema === undefined ? {} : { defaultSchema: live.defaultSchema }),
  })
  return { plan, from, to }
}

/**
 * The managed tables and views that differ between a server (`live`, already narrowed to what the
 * project manages) and `wanted`, in words, server first: missing, extra, and attribute by attribute.
 */
export const tableAndViewDrift = (live: SchemaState, wanted: SchemaState, defaultSchema?: string): string[] => {
  const resolve = defaultSchema === undefined ? {} : { defaultSchema }
  const out: string[] = []
  const pair = <T extends { readonly name: string; readonly schema?: string }>(a: readonly T[], b: readonly T[], each: (key: string, server: T | undefined, want: T | undefined) => void): void => {
    const server = new Map(a.map((x) => [mvKey(x, resolve), x] as const))
    const want = new Map(b.map((x) => [mvKey(x, resolve), x] as const))
    for (const key of [...new Set([...server.keys(), ...want.keys()])].sort()) each(key, server.get(key), want.get(key))
  }
  pair(SchemaState.tables(live), SchemaState.tables(wanted), (key, server, want) => {
    if (server === undefined) out.push(`${key}: the server does not have this table; the schema wants it created`)
    else if (want === undefined) out.push(`${key}: the server has this table; the schema does not declare it`)
    else for (const c of tableChanges(server, want, { live: true })) out.push(...describeTableDrift(key, c))
  })
  pair(live.views ?? [], wanted.views ?? [], (key, server, want) => {
    if (server === undefined) out.push(`${key}: the server does not have this view; the schema wants it created`)
    else if (want === undefined) out.push(`${key}: the server has this view; the schema does not declare it`)
    else for (const c of viewChanges(server, want, { live: true })) out.push(describeViewDrift(key, c))
  })
  return out
}

/** One disagreement found by {@link checkProject}. */
export interface CheckFinding {
  /** `invalid-migration`: a migration file that does not load (what `up` would refuse). */
  readonly kind: 'not-generated' | 'invalid-migration' | 'pending' | 'history' | 'live-drift'
  readonly message: string
}

/**
 * Compare the schema module, the migrations and (with a client) the server: changes not yet in a
 * migration, migration files that do not load (as `up` would load them), pending or unsettled migrations, and MVs, managed tables and views on the server that
 * differ from the state the applied migrations lead to (a table column by column and property by
 * property).
 */
export const checkProject = async (project: Project, client?: Client): Promise<CheckFinding[]> => {
  const findings: CheckFinding[] = []
  const { plan } = await planProject(project)
  if (plan.ops.length > 0 || plan.problems.length > 0) {
    const what = plan.changes.map((c) => describeChange(c).summary)
    // generate refuses what StarRocks cannot ALTER unless told how to rebuild: say so up front
    const immutable = plan.problems.some((p) => p.code === 'IMMUTABLE_CHANGE')
    const next = immutable
      ? `Run \`srmv generate -m "<message>" --rebuild swap\` (no downtime, 3.1+) or \`--rebuild drop-create\`: StarRocks cannot ALTER ${plan.problems.filter((p) => p.code === 'IMMUTABLE_CHANGE').map((p) => `${p.attribute} of ${p.mv}`).join(', ')}.`
      : plan.problems.length > 0
        ? `Fix what \`srmv plan\` reports (${plan.problems.map((p) => p.message).join(' ')}), then run \`srmv generate -m "<message>"\`.`
        : 'Run `srmv generate -m "<message>"`.'
    findings.push({
      kind: 'not-generated',
      message: `The schema module has changes that no migration holds (${what.join('; ') || `${plan.ops.length} operations`}). ${next}`,
    })
  }
  // every migration loads as `up` and `up --sql` load it: one that does not would stop the next deploy
  const unloadable: CheckFinding[] = []
  for (const file of listMigrationFiles(project.config.migrationsDir)) {
    try {
      await loadMigration(file, project.load)
    } catch (e) {
      if (!isStarRocksMvError(e)) throw e
      unloadable.push({ kind: 'invalid-migration', message: `[${e.code}] ${e.message}` })
    }
  }
  findings.push(...unloadable)
  if (client === undefined) return findings
  // the history is read against the migrations, which must all load: the server waits for a fix
  if (unloadable.length > 0) {
    findings.push({ kind: 'invalid-migration', message: 'The server was not compared: its history is read against every migration, so fix the migrations above and run `srmv check` again.' })
    return findings
  }
  const migrator = project.migrator(client)
  const status = await migrator.status()
  for (const p of status.problems) findings.push({ kind: 'history', message: p })
  const pending = status.migrations.filter((m) => m.state === 'pending')
  if (pending.length > 0) {
    findings.push({ kind: 'pending', message: `${pending.length} migration${pending.length === 1 ? ' is' : 's are'} not applied (${pending.map((m) => m.name).join(', ')}). Run \`srmv up\`.` })
  }
  const applied = status.migrations.filter((m) => m.state === 'applied' && m.file !== undefined).at(-1)
  const files = listMigrationFiles(project.config.migrationsDir)
  const entry = applied === undefined ? undefined : files.find((f) => f.id === applied.id)
  const expected = entry === undefined ? SchemaState.empty() : (readSnapshot(entry, (json) => parseState(json, entry.snapshotFile)) ?? SchemaState.empty())
  const live = await reflectManaged(project, client, [expected, await project.desired()])
  const drift = diff(live.state, expected, {
    compare: 'live',
    version: project.version,
    ...(live.defaultSchema === undefined ? {} : { defaultSchema: live.defaultSchema }),
  })
  const differences = [
    ...drift.changes.map(describeDrift),
    ...tableAndViewDrift(live.state, expected, live.defaultSchema),
  ]
  if (differences.length > 0) {
    findings.push({
      kind: 'live-drift',
      message: `The server differs from the state the applied migrations lead to${applied === undefined ? '' : ` (${applied.name})`}: ${differences.join('; ')}. Someone changed it by hand, or a migration did not do what its snapshot says; put the server back, or generate a migration with \`srmv generate --from-db\`.`,
    })
  }
  return findings
}
