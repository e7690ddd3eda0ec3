import { createRequire } from 'node:module'
import {
  atLeast,
  isDeepFrozen,
  parseVersion,
  DEFAULT_VERSION,
  MvDefinition,
  QualifiedName,
  type Distribution,
  type MvColumn,
  type MvIndex,
  type RefreshSpec,
  type Version,
} from '../model/index.js'
import { isAlterableProperty, propertyDefault, propertySpec } from '../schema/property-catalog.js'
import type { Change } from './change.js'
import { canonicalExpressionText, canonicalQuery, compareQueries, layoutQuery, usesStar } from './canonical-query.js'
import { sameData } from './same-data.js'

/** The comment old servers print when none was given. */
export const SERVER_DEFAULT_COMMENT = 'MATERIALIZED_VIEW'

/** The first version that prints an MV's query as it was written. */
export const QUERY_KEPT_SINCE = '4.0.6'

/** Options of {@link canonicalize}. */
export interface CanonicalizeOptions {
  /** Remove properties equal to the server's default and fill the defaults of omitted clauses (default true). */
  readonly serverDefaults?: boolean
  /** The server version, for version-dependent defaults (default 3.5). */
  readonly version?: string | Version
}

/**
 * `2122-12-31` → `2122-12-31 00:00:00`, `2122-12-31 10:00` → `2122-12-31 10:00:00`,
 * `2122-12-31T10:00:00` → `2122-12-31 10:00:00`. Anything else is kept as written.
 */
export const normalizeStart = (start: string): string => {
  const t = start.trim().replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 ')
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t} 00:00:00`
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(t)) return `${t}:00`
  return t
}

const LIST_PROPERTIES: ReadonlySet<string> = new Set(['bloom_filter_columns', 'excluded_trigger_tables', 'excluded_refresh_tables'])

/** `default_catalog.db.t.c` → `t.c`; `db.t.c` → `t.c`; `t.c` and `c` kept. */
const shortName = (dotted: string): string => {
  const parts = dotted.replaceAll('`', '').split('.').map((p) => p.trim())
  const rest = parts[0] === 'default_catalog' ? parts.slice(1) : parts
  return (rest.length >= 3 ? rest.slice(-2) : rest).join('.')
}

/**
 * A property value as servers compare it: constraint table references without the
 * `default_catalog.<db>.` prefix the server adds, list properties without spaces after commas,
 * booleans lower-cased, `storage_medium` upper-cased.
 */
export const normalizePropertyValue = (key: string, value: string): string => {
  const v = value.trim()
  if (key === 'unique_constraints') {
    return v
      .split(';')
      .map((entry) => entry.split(',').map((item) => shortName(item)).join(','))
      .filter((e) => e !== '')
      .join(';')
  }
  if (key === 'foreign_key_constraints') {
    return v
      .split(';')
      .map((entry) =>
        entry
          .replace(/([A-Za-z0-9_`$.]+)\s*\(/g, (_, name: string) => `${shortName(name).split('.').pop() ?? name}(`)
          .replace(/\s*\(\s*/g, '(')
          .replace(/\s*\)\s*/g, ') ')
          .replace(/\s*,\s*/g, ',')
          .replace(/\s+references\s+/gi, ' REFERENCES ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((e) => e !== '')
      .join(';')
  }
  if (LIST_PROPERTIES.has(key)) return v.split(',').map((s) => s.trim()).filter((s) => s !== '').join(',')
  if (key === 'storage_medium') return v.toUpperCase()
  if (propertySpec(key)?.type === 'boolean') return v.toLowerCase()
  return v
}

/** True when `value` is the server's default for `key` at `version`. */
const isDefaultValue = (key: string, value: string, version: string | Version): boolean => {
  const d = propertyDefault(key, version)
  return d !== undefined && normalizePropertyValue(key, d) === normalizePropertyValue(key, value)
}

const canonicalColumns = (cols: readonly MvColumn[] | undefined): MvColumn[] | undefined =>
  cols?.map((c) => (c.comment === undefined || c.comment === '' ? { name: c.name.toLowerCase() } : { name: c.name.toLowerCase(), comment: c.comment }))

/** A comparable text of a list of indexes: names and columns lower-cased, sorted by name; '' for none. */
const canonicalIndexes = (indexes: readonly MvIndex[] | undefined): string =>
  JSON.stringify(
    [...(indexes ?? [])]
      .map((ix) => ({
        name: ix.name.toLowerCase(),
        columns: ix.columns.map((c) => c.toLowerCase()),
        using: ix.using ?? '',
        properties: Object.entries(ix.properties ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        comment: ix.comment ?? '',
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  )

const canonicalComment = (comment: string | undefined): string | undefined =>
  comment === undefined || comment === '' || comment === SERVER_DEFAULT_COMMENT ? undefined : comment

const canonicalNames = (names: readonly string[] | undefined): string[] | undefined => names?.map(canonicalExpressionText)

const canonicalRefresh = (def: MvDefinition, fill: boolean): RefreshSpec | undefined => {
  if (def.sync) return undefined
  const r = def.refresh
  if (r === undefined) return fill ? { kind: 'manual', deferred: false } : undefined
  if (r.kind === 'manual') return { kind: 'manual', deferred: r.deferred }
  return {
    kind: 'async',
    deferred: r.deferred,
    ...(r.start === undefined ? {} : { start: normalizeStart(r.start) }),
    ...(r.every === undefined ? {} : { every: { value: r.every.value, unit: r.every.unit } }),
  }
}

const canonicalDistribution = (def: MvDefinition, fill: boolean): Distribution | undefined => {
  if (def.sync) return undefined
  const d = def.distribution
  if (d === undefined) return fill ? { kind: 'random' } : undefined
  const buckets = d.buckets === undefined ? {} : { buckets: d.buckets }
  return d.kind === 'hash' ? { kind: 'hash', columns: d.columns.map(canonicalExpressionText), ...buckets } : { kind: 'random', ...buckets }
}

/**
 * The canonical form of a definition, for comparing a desired definition with one read from a
 * live server: identifiers unquoted and lower-cased, the query in its `full` canonical form (see
 * `canonicalQuery`), the default comment removed, omitted refresh and distribution filled with
 * their defaults, START with seconds, property values normalised and (with `serverDefaults`)
 * properties equal to their server default removed, intents and dependencies dropped.
 *
 * @example
 * ```ts
 * canonicalize(parseMaterializedView(showCreateText)).query
 * // 'SELECT dt , sum ( num ) FROM t1 GROUP BY dt'
 * ```
 */
export const canonicalize = (def: MvDefinition, options: CanonicalizeOptions = {}): MvDefinition => {
  const fill = options.serverDefaults ?? true
  const version = options.version ?? DEFAULT_VERSION
  const properties: Record<string, string> = {}
  for (const [key, value] of Object.entries(def.properties)) {
    if (fill && isDefaultValue(key, value, version)) continue
    properties[key] = normalizePropertyValue(key, value)
  }
  return MvDefinition.with(MvDefinition.create({ name: def.name, query: def.query }), {
    schema: def.schema,
    sync: def.sync,
    columns: canonicalColumns(def.columns),
    comment: canonicalComment(def.comment),
    partitionBy: canonicalNames(def.partitionBy),
    distribution: canonicalDistribution(def, fill),
    orderBy: canonicalNames(def.orderBy),
    refresh: canonicalRefresh(def, fill),
    properties,
    query: canonicalQuery(def.query, 'full'),
  })
}

/** How two definitions are compared. */
export type CompareMode = 'snapshot' | 'live'

/** Options of {@link definitionChanges}. */
export interface DefinitionChangesOptions {
  /**
   * `snapshot` (default): `from` was recorded from desired definitions, so only meaning-free
   * differences are ignored. `live`: `from` was read from a server, so everything the server adds
   * or rewrites is ignored too (see `canonicalize`).
   */
  readonly mode?: CompareMode
  /** The server version (default 3.5); decides defaults and whether a query difference may be a rewrite. */
  readonly version?: string | Version
  /** Whether the version is known to be the server's (a live comparison with an unknown version treats every query difference as a possible rewrite). */
  readonly versionKnown?: boolean
  /** The key used in the changes (default: the qualified key of `to`). */
  readonly mv?: string
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i])

/** Two lists of expressions (PARTITION BY, ORDER BY) the same up to spelling: the same texts need no tokenizing. */
const sameExpressions = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  sameList(a, b) || sameList(canonicalNames(a), canonicalNames(b))

const sameColumns = (a: readonly MvColumn[], b: readonly MvColumn[]): boolean =>
  a.length === b.length && a.every((c, i) => c.name === b[i]?.name && (c.comment ?? '') === (b[i]?.comment ?? ''))

const sameRefresh = (a: RefreshSpec | undefined, b: RefreshSpec | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b
  if (a.kind !== b.kind) return false
  if (a.kind === 'manual' || b.kind === 'manual') return true
  return a.start === b.start && a.every?.value === b.every?.value && a.every?.unit === b.every?.unit
}

/** The text-diff library, loaded when a query diff is first shown (most commands never show one). */
const textDiff = (): typeof import('diff') => createRequire(import.meta.url)('diff') as typeof import('diff')

/** A unified diff of two queries laid out one clause per line. */
export const queryTextDiff = (from: string, to: string, fromLabel = 'deployed', toLabel = 'desired'): string =>
  textDiff().createTwoFilesPatch(fromLabel, toLabel, layoutQuery(from), layoutQuery(to), undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n')
    .trimEnd()

/**
 * The attribute changes that turn `from` into `to` (the same MV, perhaps under another name):
 * everything except `added`, `removed` and `renamed`. Omitted properties count as their catalog
 * default; `deferred` (IMMEDIATE/DEFERRED) is ignored, since it only acts at creation.
 */
export const definitionChanges = (from: MvDefinition, to: MvDefinition, options: DefinitionChangesOptions = {}): Change[] => {
  const mode = options.mode ?? 'snapshot'
  const live = mode === 'live'
  const version = options.version ?? DEFAULT_VERSION
  const frozen = isDeepFrozen(from) && isDeepFrozen(to)
  const memo = live || !frozen ? undefined : memoKey(version, options.versionKnown === true)
  if (memo !== undefined && (equalPairs.get(from)?.get(to) === memo || equalPairs.get(to)?.get(from) === memo)) return []
  // The same data is the same MV in every mode (most MVs of a plan did not change): nothing to
  // canonicalize. Only for definitions frozen all the way down, as create() and parseState make
  // them; others are compared field by field, as before.
  const changes = frozen && sameData(from, to, INTENTS) ? [] : compareDefinitions(from, to, options, live, version)
  if (memo !== undefined && changes.length === 0) {
    let partners = equalPairs.get(from)
    if (partners === undefined) equalPairs.set(from, (partners = new WeakMap()))
    partners.set(to, memo)
  }
  return changes
}

/** The fields of a desired definition that say what to do, not what the MV is: never compared. */
const INTENTS: ReadonlySet<string> = new Set(['renamedFrom', 'rebuild'])

/**
 * Pairs of frozen definitions a snapshot comparison found equal, with the version it compared
 * for. That comparison is symmetric, so the reverse of a plan (a migration's `down()`) finds them
 * equal without comparing them again. Live comparisons are not kept (they are not symmetric).
 */
const equalPairs = new WeakMap<MvDefinition, WeakMap<MvDefinition, string>>()

/**
 * What a kept comparison is valid for: the version's numbers (which the comparison reads) and
 * whether the version is known. `undefined` for a version that does not parse: such a comparison
 * is not kept.
 */
const memoKey = (version: string | Version, versionKnown: boolean): string | undefined => {
  let v: Version
  try {
    v = parseVersion(version)
  } catch {
    return undefined
  }
  return `${v.major}.${v.minor}.${v.patch}|${versionKnown}`
}

const compareDefinitions = (from: MvDefinition, to: MvDefinition, options: DefinitionChangesOptions, live: boolean, version: string | Version): Change[] => {
  const mv = options.mv ?? QualifiedName.key(to)
  const changes: Change[] = []

  if (from.sync !== to.sync) changes.push({ kind: 'syncChanged', mv, from: from.sync, to: to.sync })

  // query
  const fromColumns = from.columns?.map((c) => c.name)
  const toColumns = to.columns?.map((c) => c.name)
  // the same text is the same query (most queries of a plan did not change): nothing to tokenize
  const queryEqual =
    from.query === to.query ||
    compareQueries(from.query, to.query, live ? 'full' : 'light', {
      ...(fromColumns === undefined ? {} : { from: fromColumns }),
      ...(toColumns === undefined ? {} : { to: toColumns }),
    }).equal
  if (!queryEqual) {
    const mayBeRewrite =
      live && (options.versionKnown !== true || !atLeast(version, QUERY_KEPT_SINCE) || usesStar(from.query) || usesStar(to.query))
    // The text diff is made when first read (a refusal shows it; a planned rebuild never does). The
    // change is frozen here: all its fields are text, and freezing it later would read the diff.
    let textDiff: string | undefined
    const fromQuery = from.query
    const toQuery = to.query
    changes.push(
      Object.freeze({
        kind: 'queryChanged',
        mv,
        from: fromQuery,
        to: toQuery,
        get textDiff(): string {
          return (textDiff ??= queryTextDiff(fromQuery, toQuery))
        },
        mayBeRewrite,
      } as const),
    )
  }

  // columns: a server derives its column list from the query, so one side without a list says nothing live
  const fc = canonicalColumns(from.columns)
  const tc = canonicalColumns(to.columns)
  const columnsDiffer = fc === undefined || tc === undefined ? !live && fc !== tc : !sameColumns(fc, tc)
  if (columnsDiffer) {
    changes.push({ kind: 'columnsChanged', mv, ...(from.columns === undefined ? {} : { from: from.columns }), ...(to.columns === undefined ? {} : { to: to.columns }) })
  }

  // indexes: names and columns case-insensitive, order free
  if (canonicalIndexes(from.indexes) !== canonicalIndexes(to.indexes)) {
    changes.push({ kind: 'indexesChanged', mv, ...(from.indexes === undefined ? {} : { from: from.indexes }), ...(to.indexes === undefined ? {} : { to: to.indexes }) })
  }

  const fComment = live ? canonicalComment(from.comment) : from.comment === '' ? undefined : from.comment
  const tComment = live ? canonicalComment(to.comment) : to.comment === '' ? undefined : to.comment
  if (fComment !== tComment) {
    changes.push({ kind: 'commentChanged', mv, ...(from.comment === undefined ? {} : { from: from.comment }), ...(to.comment === undefined ? {} : { to: to.comment }) })
  }

  if (!sameExpressions(from.partitionBy, to.partitionBy)) {
    changes.push({ kind: 'partitionByChanged', mv, ...(from.partitionBy === undefined ? {} : { from: from.partitionBy }), ...(to.partitionBy === undefined ? {} : { to: to.partitionBy }) })
  }

  if (!from.sync && !to.sync) {
    // an omitted distribution is RANDOM; hash columns compare up to spelling
    const fd: Distribution = from.distribution ?? { kind: 'random' }
    const td: Distribution = to.distribution ?? { kind: 'random' }
    const sameShape = fd.kind === td.kind && (fd.kind === 'random' || sameExpressions(fd.columns, td.kind === 'hash' ? td.columns : []))
    if (!sameShape) {
      changes.push({ kind: 'distributionChanged', mv, ...(from.distribution === undefined ? {} : { from: from.distribution }), ...(to.distribution === undefined ? {} : { to: to.distribution }) })
    } else if (fd.buckets !== td.buckets && !(live && (fd.buckets === undefined || td.buckets === undefined))) {
      changes.push({ kind: 'bucketsChanged', mv, ...(fd.buckets === undefined ? {} : { from: fd.buckets }), ...(td.buckets === undefined ? {} : { to: td.buckets }) })
    }
  }

  if (!sameExpressions(from.orderBy, to.orderBy)) {
    changes.push({ kind: 'orderByChanged', mv, ...(from.orderBy === undefined ? {} : { from: from.orderBy }), ...(to.orderBy === undefined ? {} : { to: to.orderBy }) })
  }

  if (!from.sync && !to.sync) {
    const fr = canonicalRefresh(from, true)
    const tr = canonicalRefresh(to, true)
    if (!sameRefresh(fr, tr)) {
      changes.push({ kind: 'refreshChanged', mv, from: from.refresh ?? { kind: 'manual', deferred: false }, to: to.refresh ?? { kind: 'manual', deferred: false } })
    }
  }

  // properties: an omitted property is its default
  const keys = [...new Set([...Object.keys(from.properties), ...Object.keys(to.properties)])].sort()
  for (const key of keys) {
    const fv = from.properties[key]
    const tv = to.properties[key]
    const alterable = isAlterableProperty(key, to) || isAlterableProperty(key, from)
    if (fv !== undefined && tv !== undefined) {
      if (normalizePropertyValue(key, fv) !== normalizePropertyValue(key, tv)) {
        changes.push({ kind: 'propertyChanged', mv, key, from: fv, to: tv, alterable })
      }
    } else if (tv !== undefined) {
      if (!isDefaultValue(key, tv, version)) changes.push({ kind: 'propertyAdded', mv, key, to: tv, alterable })
    } else if (fv !== undefined) {
      // The server reports the cluster's replication_num whether or not it was asked for.
      if (live && key === 'replication_num') continue
      if (isDefaultValue(key, fv, version)) continue
      const resetTo = propertyDefault(key, version)
      changes.push({ kind: 'propertyRemoved', mv, key, from: fv, alterable, ...(resetTo === undefined ? {} : { resetTo }) })
    }
  }
  return changes
}

/** Options of {@link equivalent}. */
export interface EquivalentOptions {
  /** The server version the reflected side came from (default 3.5). */
  readonly version?: string | Version
}

/**
 * True when two definitions describe the same MV once everything a server adds or rewrites is
 * ignored (see `canonicalize` and `definitionChanges` in `live` mode): a desired definition and
 * the one reflected from a server compare equal right after it was created. Names must match;
 * schemas only when both are known. Either argument may be the reflected one (a property the
 * server reports on its own, such as `replication_num`, is ignored on the reflected side).
 *
 * @example
 * ```ts
 * equivalent(parseMaterializedView(showCreateText), mv.definition) // true right after CREATE
 * ```
 */
export const equivalent = (a: MvDefinition, b: MvDefinition, options: EquivalentOptions = {}): boolean => {
  if (a.name !== b.name) return false
  if (a.schema !== undefined && b.schema !== undefined && a.schema !== b.schema) return false
  const opts = { mode: 'live' as const, ...(options.version === undefined ? {} : { version: options.version }) }
  return definitionChanges(a, b, opts).length === 0 || definitionChanges(b, a, opts).length === 0
}
