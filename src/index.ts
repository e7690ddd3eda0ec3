/**
 * starrocks-mv: StarRocks materialized views as code.
 * @packageDocumentation
 */
export { StarRocksMvError, isStarRocksMvError } from './errors.js'
export { sql, isSql, sqlReference } from './sql/sql.js'
export type { Sql, SqlValue, SqlReferenceable, SqlReferenceInfo, SqlDependency, SqlTag, SqlInterpolationError, CheckedValues } from './sql/sql.js'
export { table, tableInfo } from './sql/table.js'
export type { Table, Column, TableInfo } from './sql/table.js'
export { renderLiteral, quoteIdentifier, formatDate } from './sql/quote.js'
export type { LiteralValue } from './sql/quote.js'
export * from './model/index.js'
