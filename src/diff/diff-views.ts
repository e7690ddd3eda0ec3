import { isDeepStrictEqual } from 'node:util'
import { atLeast, QualifiedName, type MvDefinition, type SchemaState, type Version, type ViewDefinition } from '../model/index.js'
import type { Op } from '../ops/op.js'
import { queryBody } from '../sql/index.js'
import { compareQueries } from './canonical-query.js'
import { dependencyKey, mvKey, type ResolveOptions } from './dependency-order.js'
import type { TableImpact, TableProblem } from './diff-tables.js'
import { deployedView } from './snapshot.js'

/** The view part of a plan. */
export interface ViewPlan {
  /** Creates and changes of views that read no MV (directly or through other views): before the MV ops. */
  readonly early: readonly Op[]
  /** Creates and changes of views that read an MV: after the MV ops. */
  readonly late: readonly Op[]
  /** View drops: after the MV ops, before the table drops. */
  readonly drops: readonly Op[]
  readonly reactivate: readonly MvDefinition[]
  readonly impacts: readonly TableImpact[]
  readonly problems: readonly TableProblem[]
}

/** Options of {@link planViews}. */
export interface PlanViewsOptions extends ResolveOptions {
  readonly version: Version
  readonly live: boolean
  readonly handledMvs: ReadonlySet<string>
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The attributes of a view a comparison reports. */
export type ViewAttribute = 'query' | 'columns' | 'comment' | 'security'

/** One attribute that differs between two view definitions. */
export interface ViewAttributeChange {
  readonly attribute: ViewAttribute
  readonly from: unknown
  readonly to: unknown
}

/**
 * Compare two view definitions attribute by attribute: the query (with `live`, canonically, as a
 * server prints it back rewritten), the column list (with `live`, only when `to` states one: a
 * server always prints one), COMMENT and SECURITY (absent = NONE). Names are not compared.
 *
 * @example
 * ```ts
 * viewChanges(reflectedView, declaredView, { live: true }) // [] when equal
 * ```
 */
export const viewChanges = (a: ViewDefinition, b: ViewDefinition, options: { readonly live?: boolean } = {}): ViewAttributeChange[] => {
  const live = options.live === true
  const out: ViewAttributeChange[] = []
  const cols = (v: ViewDefinition): unknown => (v.columns ?? []).map((c) => ({ name: c.name.toLowerCase(), comment: c.comment ?? '' }))
  const queryDiffers = live ? !compareQueries(a.query, b.query, 'full').equal : queryBody(a.query) !== queryBody(b.query)
  if (queryDiffers) out.push({ attribute: 'query', from: queryBody(a.query), to: queryBody(b.query) })
  // A server always prints the column list; compare it only when the desired side states one.
  const colsDiffer = live ? b.columns !== undefined && !isDeepStrictEqual(cols(a), cols(b)) : !isDeepStrictEqual(cols(a), cols(b))
  if (colsDiffer) out.push({ attribute: 'columns', from: cols(a), to: cols(b) })
  if ((a.comment ?? '') !== (b.comment ?? '')) out.push({ attribute: 'comment', from: a.comment ?? '', to: b.comment ?? '' })
  if ((a.security ?? 'NONE') !== (b.security ?? 'NONE')) out.push({ attribute: 'security', from: a.security ?? 'NONE', to: b.security ?? 'NONE' })
  return out
}

/** What differs between two views: `query` (ALTER VIEW can replace it with the column list), `other` (comment, security: re-create). */
const viewDifference = (a: ViewDefinition, b: ViewDefinition, live: boolean): 'none' | 'query' | 'other' => {
  const changes = viewChanges(a, b, { live })
  if (changes.some((c) => c.attribute === 'comment' || c.attribute === 'security')) return 'other'
  return changes.length > 0 ? 'query' : 'none'
}

/**
 * Plan the managed views of `from` → `to`: CREATE VIEW for new ones (a view after the views it
 * reads), ALTER VIEW for a new query or column list, DROP + CREATE for a new comment or security,
 * DROP VIEW for removed ones. StarRocks deactivates the MVs that read a changed or dropped view: they
 * are listed and re-activated afterwards; an MV that reads a dropped view is a `MISSING_DEPENDENCY`.
 */
export const planViews = (from: SchemaState, to: SchemaState, options: PlanViewsOptions): ViewPlan => {
  const resolve: ResolveOptions = options.defaultSchema === undefined ? {} : { defaultSchema: options.defaultSchema }
  const key = (v: Pick<ViewDefinition, 'name' | 'schema'>): string => mvKey(v, resolve)
  const viewDepKey = (v: ViewDefinition, d: QualifiedName): string => QualifiedName.key(QualifiedName.create(d.name, d.schema ?? v.schema ?? options.defaultSchema, d.catalog))
  const fromByKey = new Map((from.views ?? []).map((v) => [key(v), v] as const))
  const toByKey = new Map((to.views ?? []).map((v) => [key(v), v] as const))
  const mvKeys = new Set(to.mvs.map((m) => mvKey(m, resolve)))
  const problems: TableProblem[] = []
  const impacts: TableImpact[] = []
  const deactivated = new Set<string>()

  // Views in dependency order (a view after the views it reads); `late` when it reads an MV, directly or through views.
  const ordered: ViewDefinition[] = []
  const late = new Set<string>()
  const visiting = new Set<string>()
  const visit = (k: string): void => {
    const v = toByKey.get(k)
    if (v === undefined || ordered.includes(v) || visiting.has(k)) return
    visiting.add(k)
    for (const d of v.dependencies) {
      const dk = viewDepKey(v, d)
      visit(dk)
      if (mvKeys.has(dk) || late.has(dk)) late.add(k)
    }
    visiting.delete(k)
    ordered.push(v)
  }
  for (const k of [...toByKey.keys()].sort(cmp)) visit(k)

  const readers = (viewKey: string): MvDefinition[] => to.mvs.filter((m) => m.dependencies.some((d) => dependencyKey(m, d, resolve) === viewKey))
  const early: Op[] = []
  const lateOps: Op[] = []
  for (const v of ordered) {
    const k = key(v)
    const out = late.has(k) ? lateOps : early
    const previous = fromByKey.get(k)
    if (previous === undefined) {
      out.push({ kind: 'createView', definition: deployedView(v), ifNotExists: false })
      continue
    }
    const d = viewDifference(previous, v, options.live)
    if (d === 'none') continue
    if (d === 'query') out.push({ kind: 'alterView', definition: deployedView(v), previous })
    else out.push({ kind: 'dropView', target: QualifiedName.create(previous.name, previous.schema), ifExists: false, definition: previous }, { kind: 'createView', definition: deployedView(v), ifNotExists: false })
    const hit = readers(k).map((m) => mvKey(m, resolve)).filter((m) => !options.handledMvs.has(m)).sort(cmp)
    if (hit.length > 0) {
      for (const m of hit) deactivated.add(m)
      impacts.push({ table: k, change: d === 'query' ? 'gets a new query' : 'is re-created', mvs: hit, message: `view ${k} ${d === 'query' ? 'gets a new query' : 'is re-created'}: StarRocks deactivates ${hit.join(', ')}; the plan re-activates ${hit.length === 1 ? 'it' : 'them'} afterwards (ALTER MATERIALIZED VIEW ... ACTIVE).` })
    }
  }
  for (const m of to.mvs) {
    for (const d of m.dependencies) {
      const dk = dependencyKey(m, d, resolve)
      if (late.has(dk) && !options.handledMvs.has(mvKey(m, resolve)) && !fromByKey.has(dk)) {
        problems.push({ code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: dk, message: `${mvKey(m, resolve)} reads view ${dk}, which itself reads a materialized view: the plan cannot order them. Create the view in a migration of its own first.` })
      }
    }
  }

  const drops: Op[] = []
  for (const [k, v] of [...fromByKey].sort(([a], [b]) => cmp(b, a))) {
    if (toByKey.has(k)) continue
    drops.push({ kind: 'dropView', target: QualifiedName.create(v.name, v.schema), ifExists: false, definition: v })
    for (const m of readers(k)) {
      if (options.handledMvs.has(mvKey(m, resolve))) continue
      problems.push({ code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: k, message: `${mvKey(m, resolve)} reads view ${k}, which this plan drops. Keep ${k} in the schema, or change ${mvKey(m, resolve)} not to read it.` })
    }
  }
  const reactivate = to.mvs.filter((m) => deactivated.has(mvKey(m, resolve)))
  if (reactivate.length > 0 && !atLeast(options.version, '3.1')) {
    for (const m of reactivate) {
      problems.push({ code: 'IMMUTABLE_CHANGE', mv: mvKey(m, resolve), attribute: 'active', message: `${mvKey(m, resolve)} is deactivated by a change to a view it reads, and StarRocks ${options.version.text} has no ALTER MATERIALIZED VIEW ... ACTIVE (3.1+). Rebuild the MV in the same plan (--rebuild drop-create), or upgrade.` })
    }
  }
  return { early, late: lateOps, drops, reactivate, impacts, problems }
}
