/**
 * Model → StarRocks statements: the only place statements are assembled.
 * @packageDocumentation
 */
export { targetVersion, requireVersion } from './render-options.js'
export type { RenderOptions } from './render-options.js'
export { renderQualifiedName } from './render-qualified-name.js'
export { renderRefreshScheme } from './render-refresh-scheme.js'
export { renderCreate, renderPropertyPairs } from './render-create.js'
export type { RenderCreateOptions } from './render-create.js'
export { renderAlter, renderAlterStatements } from './render-alter.js'
export { renderDrop } from './render-drop.js'
export type { RenderDropOptions } from './render-drop.js'
export { renderRefresh } from './render-refresh.js'
export type { RenderRefreshOptions, RefreshPartition, ListPartitionValue } from './render-refresh.js'
export { renderCancelRefresh } from './render-cancel-refresh.js'
export {
  validateDefinition,
  checkMvName,
  checkSchemaName,
  checkStart,
  checkRefresh,
  bareColumnName,
  MAX_MV_NAME_LENGTH,
  MAX_COUNT,
} from './validate-definition.js'
export * from './property-catalog.js'
export { renderCopyRows, renderCreateTable, renderDropTable, renderIndexBody, renderPartitionEntry, renderTablePartitioning, renderTableDistribution, validateTableDefinition } from './render-table.js'
export type { RenderCreateTableOptions, RenderDropTableOptions } from './render-table.js'
export { TABLE_PROPERTY_CATALOG, tablePropertySpec, isAlterableTableProperty } from './table-property-catalog.js'
export type { TablePropertySpec, KnownTablePropertyName } from './table-property-catalog.js'
export { renderAlterTableStatements } from './render-alter-table.js'
export { renderCreateView, renderAlterView, renderDropView } from './render-view.js'
