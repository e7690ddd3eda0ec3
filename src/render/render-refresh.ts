import { StarRocksMvError } from '../errors.js'
import { QualifiedName } from '../model/index.js'
import { quoteDoubleString } from '../sql/index.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'

/** Options of {@link renderRefresh}. */
export interface RenderRefreshOptions extends RenderOptions {
  /** Refresh only the partitions in [start, end): `PARTITION START ("a") END ("b")`. */
  readonly partition?: { readonly start: string; readonly end: string }
  /** `FORCE`: refresh even partitions that look up to date. */
  readonly force?: boolean
  /** `WITH SYNC MODE`: the statement returns when the refresh is done (2.5.8+). */
  readonly wait?: boolean
}

/**
 * `REFRESH MATERIALIZED VIEW name [PARTITION START ("a") END ("b")] [FORCE] [WITH SYNC MODE]`.
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
  const p = options?.partition
  if (p !== undefined) {
    if (typeof p.start !== 'string' || typeof p.end !== 'string' || p.start === '' || p.end === '') {
      throw new StarRocksMvError('INVALID_REFRESH', `${subject}: a partition range needs non-empty start and end strings, e.g. { start: '2025-01-01', end: '2025-02-01' }.`, { mv: subject })
    }
    out += ` PARTITION START (${quoteDoubleString(p.start)}) END (${quoteDoubleString(p.end)})`
  }
  if (options?.force === true) out += ' FORCE'
  if (options?.wait === true) {
    requireVersion(targetVersion(options), '2.5.8', subject, 'REFRESH ... WITH SYNC MODE')
    out += ' WITH SYNC MODE'
  }
  return out
}
