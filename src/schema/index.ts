/**
 * The schema layer: `mv()`, `alter()`, refresh specs, the property catalog and the type-level DSL.
 * @packageDocumentation
 */
export { mv, isMaterializedView, isMvBuilder, toDefinition } from './mv.js'
export { alter, isAlterBuilder } from './alter.js'
export type { AlterTarget } from './alter.js'
export { parseInterval, normalizeStart } from './refresh-spec.js'
export { propertyText, propertiesText } from './property-input.js'
export * from './property-catalog.js'
export type * from './types/index.js'
export { table, tableDefinition, isManagedTable, toTableDefinition, buildTableDefinition } from './table.js'
export type { ManagedTable } from './table.js'
export { view, isView } from './view.js'
export type { View, ViewBuilder } from './view.js'
export { alterTable } from './alter-table.js'
