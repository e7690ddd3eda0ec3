import { StarRocksMvError } from '../errors.js'
import { QualifiedName } from '../model/index.js'
import { quoteDoubleString } from '../sql/index.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'

/** One value of a list partition (`NULL` for `null`), or one tuple of values when the MV is partitioned by several columns. */
export type ListPartitionValue = string | null | readonly (string | null)[]

/**
 * The partitions a refresh covers: a range `{ start, end }` (`PARTITION START ("a") END ("b")`), or
 * the values of list partitions `{ values }` (`PARTITION ("a", "b")`, or `PARTITION (("a", "x"), ("b", "y"))`
 * with one tuple per partition of an MV partitioned by several columns; 3.4+).
 */
export type RefreshPartition =
  | { readonly start: string; readonly end: string }
  | { readonly values: readonly ListPartitionValue[] }

/** Options of {@link renderRefresh}. */
export interface RenderRefreshOptions extends RenderOptions {
  /** Refresh only some partitions: a range `{ start, end }` or list partition `{ values }`. */
  readonly partition?: RefreshPartition
  /** `FORCE`: refresh even partitions that look up to date. */
  readonly force?: boolean
  /** `WITH SYNC MODE`: the statement returns when the refresh is done (2.5.8+). */
  readonly wait?: boolean
  /** `WITH PRIORITY n`: the refresh task's priority, a whole number (a manual refresh defaults to 80; 3.4+). */
  readonly priority?: number
}

const listValue = (v: string | null): string => (v === null ? 'NULL' : quoteDoubleString(v))

const renderPartition = (p: RefreshPartition, subject: string, options: RenderOptions | undefined): string => {
  const bad = (message: string): StarRocksMvError => new StarRocksMvError('INVALID_REFRESH', `${subject}: ${message}`, { mv: subject })
  if ('values' in p) {
    requireVersion(targetVersion(options), '3.4', subject, 'REFRESH ... PARTITION (list values)')
    const values = p.values as readonly unknown[]
    if (!Array.isArray(values) || values.length === 0) throw bad('a list partition refresh needs at least one value, e.g. { values: [\'beijing\'] }.')
    const scalar = (v: unknown): v is string | null => v === null || typeof v === 'string'
    if (values.every(scalar)) return ` PARTITION (${values.map(listValue).join(', ')})`
    if (values.every((t) => Array.isArray(t) && t.length > 0 && t.every(scalar))) {
      const width = (values[0] as unknown[]).length
      if (values.some((t) => (t as unknown[]).length !== width)) throw bad('every tuple of list partition values needs one value per partition column, and the same number.')
      return ` PARTITION (${(values as (string | null)[][]).map((t) => `(${t.map(listValue).join(', ')})`).join(', ')})`
    }
    throw bad('list partition values are strings or null (one partition column), or tuples of them (several partition columns), not a mix.')
  }
  if (typeof p.start !== 'string' || typeof p.end !== 'string' || p.start === '' || p.end === '') {
    throw bad("a partition range needs non-empty start and end strings, e.g. { start: '2025-01-01', end: '2025-02-01' }.")
  }
  return ` PARTITION START (${quoteDoubleString(p.start)}) END (${quoteDoubleString(p.end)})`
}

/**
 * `REFRESH MATERIALIZED VIEW name [PARTITION START ("a") END ("b") | PARTITION (values)] [FORCE] [WITH SYNC MODE] [WITH PRIORITY n]`.
 *
 * @example
 * ```ts
 * renderRefresh({ name: 'm' }, { partition: { start: '2025-01-01', end: '2025-02-01' }, wait: true })
 * // REFRESH MATERIALIZED VIEW `m` PARTITION START ("2025-01-01") END ("2025-02-01") WITH SYNC MODE
 * ```
 */
export const renderRefresh = (target: QualifiedName, options?: RenderRefreshOptions): string => {
  const subject = QualifiedName.key(target)
  let out = `REFRESH MATERIALIZED VIEW ${renderQualifiedName(target)}`
  if (options?.partition !== undefined) out += renderPartition(options.partition, subject, options)
  if (options?.force === true) out += ' FORCE'
  if (options?.wait === true) {
    requireVersion(targetVersion(options), '2.5.8', subject, 'REFRESH ... WITH SYNC MODE')
    out += ' WITH SYNC MODE'
  }
  const priority = options?.priority
  if (priority !== undefined) {
    if (!Number.isSafeInteger(priority)) {
      throw new StarRocksMvError('INVALID_REFRESH', `${subject}: the refresh priority must be a whole number, got ${String(priority)}.`, { mv: subject })
    }
    requireVersion(targetVersion(options), '3.4', subject, 'REFRESH ... WITH PRIORITY')
    out += ` WITH PRIORITY ${priority}`
  }
  return out
}
