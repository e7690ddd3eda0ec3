/**
 * The property catalog of materialized views. The data lives beside the renderer (which checks each
 * property's first version); this module is its public home in the schema layer.
 */
export * from '../render/property-catalog.js'
export { TABLE_PROPERTY_CATALOG, tablePropertySpec, isAlterableTableProperty } from '../render/table-property-catalog.js'
export type { TablePropertySpec, KnownTablePropertyName } from '../render/table-property-catalog.js'
