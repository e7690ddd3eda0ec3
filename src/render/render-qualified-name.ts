import { QualifiedName } from '../model/index.js'
import { quoteQualified } from '../sql/index.js'

/**
 * Render a possibly database-qualified name: `` `db`.`mv` `` or `` `mv` ``.
 *
 * @example
 * ```ts
 * renderQualifiedName({ schema: 'analytics', name: 'daily_sales_mv' }) // `analytics`.`daily_sales_mv`
 * ```
 */
export const renderQualifiedName = (q: QualifiedName): string =>
  q.schema === undefined ? quoteQualified(q.name) : quoteQualified(q.schema, q.name)

/** The name used in messages: `db.mv` or `mv` (never SQL). */
export const subjectOf = (q: QualifiedName): string => QualifiedName.key(q)
