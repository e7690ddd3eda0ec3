import { rowColumn, type Client, type Row } from '../db/index.js'
import { isDbError } from '../db/db-error.js'
import type { Interval, MvDefinition, MvStatus, SchemaState } from '../model/index.js'
import { QualifiedName } from '../model/index.js'
import { reflect } from '../reflect/reflect.js'
import { sql } from '../sql/index.js'

/** Options of {@link health}. */
export interface HealthOptions {
  /** The databases to check. Default: the client's current database. */
  readonly schemas?: readonly string[]
  /**
   * How late a scheduled refresh may be before the MV counts as stale, in seconds (default 600):
   * stale when the last successful refresh started more than `EVERY` + this long ago.
   */
  readonly graceSeconds?: number
}

/** How bad a finding is: `error` (inactive, last refresh failed), `warning` (stale, base tables changed), `info`. */
export type HealthLevel = 'info' | 'warning' | 'error'

/** One thing {@link health} found about an MV. `message` says it in words. */
export type HealthFinding =
  | { readonly kind: 'inactive'; readonly level: 'error'; readonly reason?: string; readonly message: string }
  | {
      readonly kind: 'refresh-failed'
      readonly level: 'error'
      readonly error?: string
      /** When the failed refresh started. */
      readonly startedAt?: string
      readonly message: string
    }
  | {
      readonly kind: 'refresh-running'
      readonly level: 'info'
      readonly state: 'RUNNING' | 'PENDING'
      readonly startedAt?: string
      readonly message: string
    }
  | {
      readonly kind: 'stale'
      readonly level: 'warning'
      readonly every: Interval
      /** Start of the last successful refresh on record; absent when there is none. */
      readonly lastSuccess?: string
      /** How many seconds the refresh is overdue (beyond `EVERY` + grace); absent when no success is on record. */
      readonly overdueSeconds?: number
      readonly message: string
    }
  | {
      readonly kind: 'base-tables-changed'
      readonly level: 'warning'
      /** The base tables (and MVs) written after the last successful refresh started, with when. */
      readonly tables: readonly { readonly name: string; readonly changedAt: string }[]
      readonly lastSuccess: string
      readonly message: string
    }

/** The health of one MV. `level` is the worst finding's (`ok` when none is a warning or error). */
export interface MvHealth {
  readonly key: string
  readonly schema: string
  readonly name: string
  readonly level: 'ok' | 'warning' | 'error'
  readonly active: boolean
  /** `sync`, `manual`, `on change` (load-triggered) or `every <n> <unit>`. */
  readonly refresh: string
  /** What the MV reads (`db.name` keys of tables and MVs). */
  readonly dependencies: readonly string[]
  /** The latest refresh on record (from the job or task-run history, else from `materialized_views`). */
  readonly lastRefresh?: {
    readonly state: string
    readonly startedAt?: string
    readonly finishedAt?: string
    readonly error?: string
  }
  /** Start of the last successful refresh on record. */
  readonly lastSuccess?: string
  readonly findings: readonly HealthFinding[]
}

/** Where the facts of a {@link HealthReport} came from. */
export interface HealthSources {
  /** The refresh history read: `materialized_view_refresh_jobs` (4.1+, one row per refresh) or `task_runs`. */
  readonly refreshes: 'materialized_view_refresh_jobs' | 'task_runs'
  /**
   * The base-table write times compared with the last refresh: `partitions_meta.LAST_UPDATE_TIME`
   * (4.2+, user writes only), `partitions_meta.VISIBLE_VERSION_TIME` (which compaction also advances
   * on shared-data clusters, so it can over-report there), or `unavailable` (no `partitions_meta`).
   */
  readonly baseTables: 'partitions_meta.LAST_UPDATE_TIME' | 'partitions_meta.VISIBLE_VERSION_TIME' | 'unavailable'
}

/** What {@link health} reports. */
export interface HealthReport {
  readonly kind: 'HealthReport'
  /** The server's clock when checked (`SELECT NOW()`), in its time zone like every time here. */
  readonly checkedAt: string
  readonly serverVersion: string
  readonly schemas: readonly string[]
  readonly sources: HealthSources
  /** Every MV of the databases, sorted by key. */
  readonly mvs: readonly MvHealth[]
  readonly counts: { readonly ok: number; readonly warning: number; readonly error: number }
  /** The worst level over all MVs. */
  readonly level: 'ok' | 'warning' | 'error'
}

const column = rowColumn

const text = (row: Row, name: string): string | undefined => {
  const v = column(row, name)
  if (v === null || v === undefined) return undefined
  const s = v instanceof Uint8Array ? new TextDecoder().decode(v) : v instanceof Date ? v.toISOString().replace('T', ' ').slice(0, 19) : String(v)
  return s.trim() === '' ? undefined : s.trim()
}

/** Seconds since the epoch of a server wall-clock time, read as if UTC (every time compared comes from the same clock). */
const seconds = (time: string | undefined): number | undefined => {
  if (time === undefined) return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(time)
  if (m === null) return undefined
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
}

const UNIT_SECONDS: Readonly<Record<Interval['unit'], number>> = {
  SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86_400, WEEK: 604_800, MONTH: 2_678_400, QUARTER: 7_948_800, YEAR: 31_622_400,
}

/** An interval in seconds; MONTH, QUARTER and YEAR at their longest (31, 92, 366 days), so a long month never reads as late. */
const intervalSeconds = (every: Interval): number => every.value * UNIT_SECONDS[every.unit]

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`

const duration = (s: number): string => {
  if (s < 120) return plural(Math.round(s), 'second')
  if (s < 7200) return plural(Math.round(s / 60), 'minute')
  if (s < 172_800) return plural(Math.round(s / 3600), 'hour')
  return plural(Math.round(s / 86_400), 'day')
}

/** One refresh from the history, whichever table it came from (`order`: its row number, a tie-break). */
export interface HealthRun {
  readonly key?: string
  readonly taskName?: string
  readonly state: string
  readonly startedAt?: string
  readonly finishedAt?: string
  readonly error?: string
  readonly order: number
}

const isUnknownTable = (e: unknown): boolean =>
  isDbError(e, 'SQL_ERROR') && /unknown table|not exist|doesn't exist|not found|cannot be resolved/i.test(e.message)

const refreshText = (def: MvDefinition): string => {
  if (def.sync) return 'sync'
  const r = def.refresh
  if (r === undefined || r.kind === 'manual') return 'manual'
  if (r.every === undefined) return 'on change'
  return `every ${r.every.value} ${r.every.unit}`
}

const RANK = { ok: 0, info: 0, warning: 1, error: 2 } as const
const worst = (levels: readonly ('ok' | HealthLevel)[]): 'ok' | 'warning' | 'error' => {
  let r: 'ok' | 'warning' | 'error' = 'ok'
  for (const l of levels) if (RANK[l] > RANK[r]) r = l as 'warning' | 'error'
  return r
}

const versionAtLeast = (version: string, major: number, minor: number): boolean => {
  const m = /^v?(\d+)\.(\d+)/.exec(version)
  if (m === null) return /^main/i.test(version)
  const [a, b] = [Number(m[1]), Number(m[2])]
  return a > major || (a === major && b >= minor)
}

/** The facts {@link evaluateHealth} judges: what {@link health} reads from a server. */
export interface HealthFacts {
  readonly state: SchemaState
  readonly checkedAt: string
  readonly schemas: readonly string[]
  readonly runs: readonly HealthRun[]
  /** Latest write time per base table key (`db.table`), when read. */
  readonly tableWrites?: ReadonlyMap<string, string>
  readonly sources: HealthSources
}

/**
 * Judge the health of every MV from facts already read (no I/O): {@link health} is this over a
 * live server. Exported for tests and for callers that read the facts themselves.
 */
export const evaluateHealth = (facts: HealthFacts, options: Pick<HealthOptions, 'graceSeconds'> = {}): HealthReport => {
  const grace = options.graceSeconds ?? 600
  const now = seconds(facts.checkedAt) ?? Date.now() / 1000
  const byKey = new Map<string, HealthRun[]>()
  const taskKey = new Map<string, string>()
  for (const [key, s] of Object.entries(facts.state.status ?? {})) if (s.taskName !== undefined) taskKey.set(s.taskName, key)
  for (const run of facts.runs) {
    const key = run.key ?? (run.taskName === undefined ? undefined : taskKey.get(run.taskName))
    if (key === undefined) continue
    const list = byKey.get(key) ?? []
    list.push(run)
    byKey.set(key, list)
  }
  const latestFirst = (a: HealthRun, b: HealthRun): number => (seconds(b.startedAt) ?? 0) - (seconds(a.startedAt) ?? 0) || b.order - a.order

  const mvs: MvHealth[] = facts.state.mvs.map((def) => {
    const schema = def.schema ?? ''
    const key = QualifiedName.key(def)
    const status: MvStatus = facts.state.status?.[key] ?? { active: true }
    const runs = [...(byKey.get(key) ?? [])].sort(latestFirst)
    const findings: HealthFinding[] = []

    if (!status.active) {
      findings.push({
        kind: 'inactive', level: 'error',
        ...(status.inactiveReason === undefined ? {} : { reason: status.inactiveReason }),
        message: `inactive${status.inactiveReason === undefined ? '' : `: ${status.inactiveReason}`} (neither refreshed nor used for query rewrite until ALTER ... ACTIVE)`,
      })
    }

    const running = runs.filter((r) => r.state === 'RUNNING' || r.state === 'PENDING')
    for (const r of running) {
      findings.push({
        kind: 'refresh-running', level: 'info', state: r.state as 'RUNNING' | 'PENDING',
        ...(r.startedAt === undefined ? {} : { startedAt: r.startedAt }),
        message: `refresh ${r.state.toLowerCase()}${r.startedAt === undefined ? '' : ` since ${r.startedAt}`}`,
      })
    }

    const finished = runs.filter((r) => r.state === 'SUCCESS' || r.state === 'FAILED' || r.state === 'SKIPPED')
    const lastFinished: HealthRun | undefined =
      finished[0] ??
      (status.lastRefreshState === undefined || status.lastRefreshState === 'RUNNING' || status.lastRefreshState === 'PENDING'
        ? undefined
        : {
            state: status.lastRefreshState,
            order: -1,
            ...(status.lastRefreshStartTime === undefined ? {} : { startedAt: status.lastRefreshStartTime }),
            ...(status.lastRefreshFinishedTime === undefined ? {} : { finishedAt: status.lastRefreshFinishedTime }),
            ...(status.lastRefreshError === undefined ? {} : { error: status.lastRefreshError }),
          })
    if (lastFinished?.state === 'FAILED') {
      findings.push({
        kind: 'refresh-failed', level: 'error',
        ...(lastFinished.error === undefined ? {} : { error: lastFinished.error }),
        ...(lastFinished.startedAt === undefined ? {} : { startedAt: lastFinished.startedAt }),
        message: `last refresh failed${lastFinished.startedAt === undefined ? '' : ` (started ${lastFinished.startedAt})`}${lastFinished.error === undefined ? '' : `: ${lastFinished.error}`}`,
      })
    }

    const success = finished.find((r) => r.state === 'SUCCESS' || r.state === 'SKIPPED')
    const lastSuccess =
      status.lastFreshnessConfirmedAt ??
      success?.startedAt ??
      (status.lastRefreshState === 'SUCCESS' ? status.lastRefreshStartTime : undefined)

    const every = def.refresh?.kind === 'async' ? def.refresh.every : undefined
    const startAt = def.refresh?.kind === 'async' ? seconds(def.refresh.start) : undefined
    if (every !== undefined && status.active && !def.sync && (startAt === undefined || startAt <= now)) {
      const period = intervalSeconds(every)
      const last = seconds(lastSuccess)
      const everyText = `${every.value} ${every.unit}`
      if (last === undefined) {
        if (running.length === 0) {
          findings.push({
            kind: 'stale', level: 'warning', every,
            message: `stale: scheduled every ${everyText}, but no successful refresh is on record`,
          })
        }
      } else if (now - last > period + grace) {
        const overdue = Math.round(now - last - period)
        findings.push({
          kind: 'stale', level: 'warning', every, lastSuccess: lastSuccess as string, overdueSeconds: overdue,
          message: `stale: scheduled every ${everyText}, last successful refresh started ${lastSuccess as string}, ${duration(overdue)} overdue`,
        })
      }
    }

    if (facts.tableWrites !== undefined && lastSuccess !== undefined && running.length === 0 && status.active && !def.sync) {
      const since = seconds(lastSuccess) as number
      const tables = def.dependencies
        .map((d) => QualifiedName.key(QualifiedName.create(d.name, d.schema ?? schema, d.catalog)))
        .flatMap((name) => {
          const at = facts.tableWrites?.get(name)
          const t = seconds(at)
          return at !== undefined && t !== undefined && t > since ? [{ name, changedAt: at }] : []
        })
      if (tables.length > 0) {
        findings.push({
          kind: 'base-tables-changed', level: 'warning', tables, lastSuccess,
          message: `base table${tables.length === 1 ? '' : 's'} changed since the last successful refresh (started ${lastSuccess}): ${tables.map((t) => `${t.name} at ${t.changedAt}`).join(', ')}`,
        })
      }
    }

    const latest = runs[0] ?? lastFinished
    return {
      key, schema, name: def.name,
      level: worst(findings.map((f) => f.level)),
      active: status.active,
      refresh: refreshText(def),
      dependencies: def.dependencies.map((d) => QualifiedName.key(QualifiedName.create(d.name, d.schema ?? schema, d.catalog))),
      ...(latest === undefined
        ? {}
        : {
            lastRefresh: {
              state: latest.state,
              ...(latest.startedAt === undefined ? {} : { startedAt: latest.startedAt }),
              ...(latest.finishedAt === undefined ? {} : { finishedAt: latest.finishedAt }),
              ...(latest.error === undefined ? {} : { error: latest.error }),
            },
          }),
      ...(lastSuccess === undefined ? {} : { lastSuccess }),
      findings,
    }
  })

  const counts = { ok: 0, warning: 0, error: 0 }
  for (const m of mvs) counts[m.level]++
  return {
    kind: 'HealthReport',
    checkedAt: facts.checkedAt,
    serverVersion: facts.state.serverVersion ?? '',
    schemas: facts.schemas,
    sources: facts.sources,
    mvs,
    counts,
    level: worst(mvs.map((m) => m.level)),
  }
}

/**
 * Check the health of every MV in the given databases (default: the client's current database):
 * inactive MVs with their reason, the last refresh failed, refreshes running or pending, scheduled
 * MVs whose last successful refresh is older than `EVERY` + `graceSeconds` (stale), and MVs whose
 * base tables were written after their last successful refresh started.
 *
 * It reads, in a constant number of queries whatever the number of MVs: what {@link reflect} reads
 * (`information_schema.materialized_views`), `SELECT NOW()`, the refresh history
 * (`information_schema.materialized_view_refresh_jobs` on 4.1+, else `information_schema.task_runs`)
 * and the base tables' latest write times (`information_schema.partitions_meta`, one aggregate
 * query; skipped when the server has no such table). Times compare with one-second resolution, on
 * the server's clock.
 *
 * @example
 * ```ts
 * const client = await connect('starrocks://root@127.0.0.1:9030/analytics')
 * const report = await health(client)
 * for (const mv of report.mvs) for (const f of mv.findings) console.log(mv.key, f.level, f.message)
 * if (report.level === 'error') process.exitCode = 1
 * ```
 */
export const health = async (client: Client, options: HealthOptions = {}): Promise<HealthReport> => {
  const current = options.schemas === undefined ? await client.database() : undefined
  const wanted = options.schemas ?? (current === undefined ? undefined : [current])
  const state = await reflect(client, { ...(wanted === undefined ? {} : { schemas: wanted }), objects: ['mvs'] })
  const schemas = [...new Set(wanted ?? [])]
  const version = state.serverVersion ?? ''

  const nowRow = (await client.query('SELECT NOW() AS now')).rows[0] ?? {}
  const checkedAt = text(nowRow, 'now') ?? ''

  if (state.mvs.length === 0) {
    return evaluateHealth({ state, checkedAt, schemas, runs: [], sources: { refreshes: 'task_runs', baseTables: 'unavailable' } }, options)
  }
  const inList = sql.join(schemas)

  let runs: HealthRun[] | undefined
  let refreshes: HealthSources['refreshes'] = 'task_runs'
  if (versionAtLeast(version, 4, 1)) {
    try {
      const { rows } = await client.query(
        sql`SELECT * FROM information_schema.materialized_view_refresh_jobs WHERE TABLE_SCHEMA IN (${inList})`.toSQL(),
      )
      refreshes = 'materialized_view_refresh_jobs'
      runs = rows.flatMap((r, order): HealthRun[] => {
        const schema = text(r, 'TABLE_SCHEMA')
        const name = text(r, 'TABLE_NAME')
        if (schema === undefined || name === undefined) return []
        const startedAt = text(r, 'SUBMIT_TIME')
        const finishedAt = text(r, 'FINISH_TIME')
        const error = text(r, 'ERROR_MESSAGE')
        return [{
          key: QualifiedName.key({ schema, name }), state: (text(r, 'REFRESH_STATE') ?? '').toUpperCase(), order,
          ...(startedAt === undefined ? {} : { startedAt }),
          ...(finishedAt === undefined ? {} : { finishedAt }),
          ...(error === undefined ? {} : { error }),
        }]
      })
    } catch (e) {
      if (!isUnknownTable(e)) throw e
    }
  }
  if (runs === undefined) {
    const { rows } = await client.query(
      sql`SELECT * FROM information_schema.task_runs WHERE ${sql.id('DATABASE')} IN (${inList})`.toSQL(),
    )
    runs = rows.flatMap((r, order): HealthRun[] => {
      const state = (text(r, 'STATE') ?? '').toUpperCase()
      const taskName = text(r, 'TASK_NAME')
      // MERGED runs were folded into a later one: they say nothing of their own.
      if (taskName === undefined || state === 'MERGED') return []
      const startedAt = text(r, 'CREATE_TIME')
      const finishedAt = text(r, 'FINISH_TIME')
      const error = text(r, 'ERROR_MESSAGE')
      return [{
        taskName, state, order,
        ...(startedAt === undefined ? {} : { startedAt }),
        ...(finishedAt === undefined ? {} : { finishedAt }),
        ...(error === undefined ? {} : { error }),
      }]
    })
  }

  // The latest write time of every table or MV the MVs read, in one aggregate query (internal ones:
  // partitions_meta knows nothing of external catalogs).
  const deps = state.mvs.flatMap((m) => m.dependencies.filter((d) => d.catalog === undefined).map((d) => QualifiedName.create(d.name, d.schema ?? m.schema)))
  const depSchemas = [...new Set(deps.map((d) => d.schema ?? ''))].filter((s) => s !== '')
  const depNames = [...new Set(deps.map((d) => d.name))]
  let tableWrites: Map<string, string> | undefined
  let baseTables: HealthSources['baseTables'] = 'unavailable'
  if (depSchemas.length > 0) {
    const timeColumn = versionAtLeast(version, 4, 2) ? 'LAST_UPDATE_TIME' : 'VISIBLE_VERSION_TIME'
    try {
      const { rows } = await client.query(
        sql`SELECT DB_NAME, TABLE_NAME, MAX(${sql.id(timeColumn)}) AS changed_at FROM information_schema.partitions_meta WHERE DB_NAME IN (${sql.join(depSchemas)}) AND TABLE_NAME IN (${sql.join(depNames)}) GROUP BY DB_NAME, TABLE_NAME`.toSQL(),
      )
      tableWrites = new Map()
      for (const r of rows) {
        const db = text(r, 'DB_NAME')
        const name = text(r, 'TABLE_NAME')
        const at = text(r, 'changed_at')
        if (db !== undefined && name !== undefined && at !== undefined) tableWrites.set(QualifiedName.key({ schema: db, name }), at)
      }
      baseTables = `partitions_meta.${timeColumn}`
    } catch (e) {
      if (!isUnknownTable(e)) throw e
    }
  }

  return evaluateHealth(
    {
      state, checkedAt, schemas, runs,
      ...(tableWrites === undefined ? {} : { tableWrites }),
      sources: { refreshes, baseTables },
    },
    options,
  )
}
