import { StarRocksMvError } from '../errors.js'
import { isColumnChange, QualifiedName, type TableAlterChange } from '../model/index.js'
import { quoteDoubleString, quoteIdentifier, quoteString } from '../sql/index.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'
import { renderColumn, renderIndexBody, renderPartitionEntry, renderTableDistribution } from './render-table.js'

/**
 * The statements of an ALTER TABLE, one clause kind per statement, in this order: DROP INDEX (one
 * statement and one schema-change job each), DROP PARTITION, the column changes (ADD / DROP / MODIFY
 * COLUMN) together in one statement, which StarRocks runs as one schema-change job, ADD PARTITION,
 * ADD INDEX (one job each), then one statement per other change (SET one property, COMMENT, ORDER BY,
 * DISTRIBUTED BY), SWAP WITH, and RENAME last. No trailing semicolons.
 *
 * @example
 * ```ts
 * renderAlterTableStatements({ schema: 'shop', name: 'orders' }, [
 *   { kind: 'addColumn', column: { name: 'note', type: 'VARCHAR(100)', nullable: true }, after: 'amount' },
 * ]) // ['ALTER TABLE `shop`.`orders` ADD COLUMN `note` VARCHAR(100) NULL AFTER `amount`']
 * ```
 */
export const renderAlterTableStatements = (target: QualifiedName, changes: readonly TableAlterChange[], options?: RenderOptions): string[] => {
  const version = targetVersion(options)
  const subject = QualifiedName.key(target)
  if (changes.length === 0) {
    throw new StarRocksMvError('EMPTY_ALTER', `${subject}: an ALTER TABLE needs at least one change.`, { table: subject })
  }
  const head = `ALTER TABLE ${renderQualifiedName(target)}`
  const out: string[] = []
  const columnClauses = changes.filter(isColumnChange).map((c) => {
    if (c.kind === 'addColumn') return `ADD COLUMN ${renderColumn(c.column, version, subject)}${c.after === undefined ? ' FIRST' : ` AFTER ${quoteIdentifier(c.after)}`}`
    if (c.kind === 'dropColumn') return `DROP COLUMN ${quoteIdentifier(c.name)}`
    if (c.kind === 'modifyColumn') return `MODIFY COLUMN ${renderColumn(c.column, version, subject)}`
    return ''
  })
  for (const c of changes) if (c.kind === 'dropIndex') out.push(`${head} DROP INDEX ${quoteIdentifier(c.name)}`)
  for (const c of changes) if (c.kind === 'dropPartition') out.push(`${head} DROP PARTITION ${quoteIdentifier(c.name)}`)
  if (columnClauses.length > 0) out.push(`${head} ${columnClauses.join(', ')}`)
  for (const c of changes) if (c.kind === 'addPartition') out.push(`${head} ADD ${renderPartitionEntry(c.entry, c.entry.kind === 'list' ? (c.entry.partition.values[0]?.length ?? 1) : 1)}`)
  for (const c of changes) if (c.kind === 'addIndex') out.push(`${head} ADD INDEX ${renderIndexBody(c.index, version, subject)}`)
  for (const c of changes) {
    if (isColumnChange(c) || c.kind === 'rename' || c.kind === 'dropIndex' || c.kind === 'addIndex' || c.kind === 'dropPartition' || c.kind === 'addPartition' || c.kind === 'swap') continue
    if (c.kind === 'setProperty') out.push(`${head} SET (${quoteDoubleString(c.key)} = ${quoteDoubleString(c.value)})`)
    else if (c.kind === 'comment') {
      requireVersion(version, '3.1', subject, 'ALTER TABLE ... COMMENT')
      out.push(`${head} COMMENT = ${quoteString(c.comment)}`)
    } else if (c.kind === 'orderBy') {
      requireVersion(version, '3.2', subject, 'ALTER TABLE ... ORDER BY')
      out.push(`${head} ORDER BY (${c.columns.map(quoteIdentifier).join(', ')})`)
    } else if (c.kind === 'distribution') {
      requireVersion(version, '3.2', subject, 'ALTER TABLE ... DISTRIBUTED BY')
      out.push(`${head} ${renderTableDistribution(c.distribution, version, subject)}`)
    }
  }
  for (const c of changes) if (c.kind === 'swap') out.push(`${head} SWAP WITH ${quoteIdentifier(c.other)}`)
  for (const c of changes) if (c.kind === 'rename') out.push(`${head} RENAME ${quoteIdentifier(c.newName)}`)
  return out
}
