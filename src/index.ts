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
export { mv, isMaterializedView, isMvBuilder, toDefinition, alter, isAlterBuilder, PROPERTY_CATALOG, propertySpec, propertyDefault, isAlterableProperty, isSessionProperty } from './schema/index.js'
export type * from './schema/types/index.js'
export type { AlterTarget, KnownPropertyName, PropertySpec, PropertyValueType } from './schema/index.js'
export { renderCreate, renderAlter, renderAlterStatements, renderDrop, renderRefresh, renderCancelRefresh, renderRefreshScheme, renderQualifiedName, validateDefinition } from './render/index.js'
export type { RenderOptions, RenderCreateOptions, RenderDropOptions, RenderRefreshOptions } from './render/index.js'
export { op, toStatements, reverse, reverseAll, isDataOnly, defineMigration, recordOps, createRecorder, renderOpsAsCode, opToCode, definitionToCode, codeImports, toQualifiedName } from './ops/index.js'
export type { Op, OpKind, AlterChange as OpAlterChange, OpFactories, OpRecorder, MigrationDefinition, ToStatementsOptions, ReverseOptions, CompleteMv, AlterSource, MvTarget } from './ops/index.js'
