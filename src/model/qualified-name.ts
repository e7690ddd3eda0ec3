/**
 * A possibly database-qualified object name. `schema` is the StarRocks database. `catalog` names an
 * external catalog (Hive, Iceberg, Hudi, Delta Lake, JDBC ...): `hive.sales.orders`; it is absent for
 * the internal catalog (`default_catalog`), so names recorded before catalogs existed read the same.
 */
export interface QualifiedName {
  /** An external catalog; absent for the internal one. Never `default_catalog` (that is the internal one). */
  readonly catalog?: string
  readonly schema?: string
  readonly name: string
}

/** The name of StarRocks's internal catalog. */
export const DEFAULT_CATALOG = 'default_catalog'

/** True when `catalog` names the internal catalog (`default_catalog`, in any case) or nothing. */
export const isInternalCatalog = (catalog: string | undefined): boolean =>
  catalog === undefined || catalog.toLowerCase() === DEFAULT_CATALOG

/** Helpers for {@link QualifiedName}. */
export const QualifiedName = {
  /** A frozen name; a `catalog` of `default_catalog` (the internal catalog) is dropped. */
  create(name: string, schema?: string, catalog?: string): QualifiedName {
    const base = schema === undefined ? { name } : { schema, name }
    return Object.freeze(isInternalCatalog(catalog) ? base : { catalog: catalog as string, ...base })
  },
  /**
   * A stable key for maps and messages: `db.name` or `name`, `catalog.db.name` for an external
   * catalog (not SQL: never send it to a server).
   */
  key(q: QualifiedName): string {
    const local = q.schema === undefined ? q.name : `${q.schema}.${q.name}`
    return isInternalCatalog(q.catalog) ? local : `${q.catalog as string}.${local}`
  },
  equals(a: QualifiedName, b: QualifiedName): boolean {
    return a.name === b.name && a.schema === b.schema && (isInternalCatalog(a.catalog) ? isInternalCatalog(b.catalog) : a.catalog === b.catalog)
  },
}
