import { match } from 'ts-pattern'
import { StarRocksMvError } from '../errors.js'
import { MV_COLUMN_ALTER_SINCE, MV_ORDER_BY_ALTER_SINCE, QualifiedName, type AlterChange } from '../model/index.js'
import { quoteIdentifier, quoteString } from '../sql/index.js'
import { renderPropertyPairs } from './render-create.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'
import { renderRefreshScheme } from './render-refresh-scheme.js'
import { checkMvName, checkRefresh } from './validate-definition.js'

const checkColumnName = (name: unknown, subject: string, clause: string): void => {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new StarRocksMvError('INVALID_ALTER', `${subject}: ALTER ... ${clause} needs a column name, got ${JSON.stringify(name)}.`, { mv: subject })
  }
}

/**
 * Render one `ALTER MATERIALIZED VIEW` statement for one change (StarRocks takes one clause per
 * statement):
 * - `REFRESH <scheme>`: the scheme only, never the moment (IMMEDIATE / DEFERRED exist only in CREATE;
 *   a `deferred` flag on the spec is ignored here);
 * - `SET ("k" = "v", ...)`;
 * - `RENAME new_name` (no `TO`);
 * - `ACTIVE`, `INACTIVE`, `SWAP WITH other` (3.1+);
 * - `ADD COLUMN name AS <expr> [COMMENT '...']` and `DROP COLUMN name` (4.2+, fast schema evolution);
 * - `ORDER BY (cols)` (4.2+; StarRocks accepts it on range-distributed shared-data MVs only).
 *
 * Whether a property may be SET is the caller's check (`alter()` and the differ know the MV);
 * this checks values and versions.
 *
 * @example
 * ```ts
 * renderAlter({ name: 'mv1' }, { kind: 'set', properties: { 'session.insert_timeout': '3600' } })
 * // ALTER MATERIALIZED VIEW `mv1` SET ("session.insert_timeout" = "3600")
 * ```
 */
export const renderAlter = (target: QualifiedName, change: AlterChange, options?: RenderOptions): string => {
  const version = targetVersion(options)
  const subject = QualifiedName.key(target)
  const clause = match(change)
    .with({ kind: 'refresh' }, (c) => {
      checkRefresh(c.refresh, subject)
      return `REFRESH ${renderRefreshScheme(c.refresh, { version })}`
    })
    .with({ kind: 'set' }, (c) => {
      if (Object.keys(c.properties).length === 0) {
        throw new StarRocksMvError('INVALID_ALTER', `${subject}: ALTER ... SET needs at least one property.`, { mv: subject })
      }
      for (const [k, v] of Object.entries(c.properties)) {
        if (typeof v !== 'string') {
          throw new StarRocksMvError('INVALID_ALTER', `${subject}: property "${k}" must be a string in an AlterChange, got ${typeof v}.`, { mv: subject, property: k })
        }
      }
      return `SET (${renderPropertyPairs(c.properties, version, subject)})`
    })
    .with({ kind: 'rename' }, (c) => {
      checkMvName(c.newName, 'the new name', subject)
      return `RENAME ${quoteIdentifier(c.newName)}`
    })
    .with({ kind: 'active' }, () => {
      requireVersion(version, '3.1', subject, 'ALTER ... ACTIVE')
      return 'ACTIVE'
    })
    .with({ kind: 'inactive' }, () => {
      requireVersion(version, '3.1', subject, 'ALTER ... INACTIVE')
      return 'INACTIVE'
    })
    .with({ kind: 'swap' }, (c) => {
      requireVersion(version, '3.1', subject, 'ALTER ... SWAP WITH')
      checkMvName(c.other, 'the MV to swap with', subject)
      return `SWAP WITH ${quoteIdentifier(c.other)}`
    })
    .with({ kind: 'addColumn' }, (c) => {
      requireVersion(version, MV_COLUMN_ALTER_SINCE, subject, 'ALTER ... ADD COLUMN')
      checkColumnName(c.name, subject, 'ADD COLUMN')
      const expression = typeof c.expression === 'string' ? c.expression.trim() : ''
      if (expression === '') {
        throw new StarRocksMvError('INVALID_ALTER', `${subject}: ADD COLUMN ${c.name} needs an expression (the select-list item StarRocks appends), e.g. sum(\`amount\`).`, { mv: subject, column: c.name })
      }
      return `ADD COLUMN ${quoteIdentifier(c.name)} AS ${expression}${c.comment === undefined ? '' : ` COMMENT ${quoteString(c.comment)}`}`
    })
    .with({ kind: 'dropColumn' }, (c) => {
      requireVersion(version, MV_COLUMN_ALTER_SINCE, subject, 'ALTER ... DROP COLUMN')
      checkColumnName(c.name, subject, 'DROP COLUMN')
      return `DROP COLUMN ${quoteIdentifier(c.name)}`
    })
    .with({ kind: 'orderBy' }, (c) => {
      requireVersion(version, MV_ORDER_BY_ALTER_SINCE, subject, 'ALTER ... ORDER BY')
      if (c.columns.length === 0) throw new StarRocksMvError('INVALID_ALTER', `${subject}: ALTER ... ORDER BY needs at least one column.`, { mv: subject })
      for (const col of c.columns) checkColumnName(col, subject, 'ORDER BY')
      return `ORDER BY (${c.columns.map(quoteIdentifier).join(', ')})`
    })
    .exhaustive()
  return `ALTER MATERIALIZED VIEW ${renderQualifiedName(target)} ${clause}`
}

/**
 * Render a sequence of changes to one MV, one statement each. A `rename` moves the target: the
 * changes after it address the new name.
 *
 * @example
 * ```ts
 * renderAlterStatements({ name: 'a' }, [{ kind: 'rename', newName: 'b' }, { kind: 'active' }])
 * // ['ALTER MATERIALIZED VIEW `a` RENAME `b`', 'ALTER MATERIALIZED VIEW `b` ACTIVE']
 * ```
 */
export const renderAlterStatements = (
  target: QualifiedName,
  changes: readonly AlterChange[],
  options?: RenderOptions,
): string[] => {
  let current = target
  return changes.map((change) => {
    const statement = renderAlter(current, change, options)
    if (change.kind === 'rename') current = QualifiedName.create(change.newName, current.schema)
    return statement
  })
}
