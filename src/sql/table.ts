import { isDefaultCatalog, sqlReference, type SqlDependency, type SqlReferenceInfo, type SqlReferenceable } from './sql.js'

/** Metadata key of a {@link Table}: symbol-keyed so that any column name is free to use. */
export const tableInfo: unique symbol = Symbol.for('starrocks-mv.tableInfo')

/** What a table reference knows about itself. */
export interface TableInfo<Name extends string = string, Columns extends Record<string, string> = Record<string, string>> {
  readonly name: Name
  /** An external catalog (`hive`); absent for the internal catalog (`default_catalog`). */
  readonly catalog?: string
  readonly schema?: string
  /** Column name → StarRocks type string. */
  readonly columns: Readonly<Columns>
}

/** A typed reference to one column: renders `` `table`.`column` `` in the `sql` tag. */
export interface Column<Name extends string = string, Type extends string = string> extends SqlReferenceable {
  readonly columnName: Name
  readonly columnType: Type
  readonly tableName: string
}

/** The alias of an {@link AliasedTable} (symbol-keyed, so any column name is free to use). */
export const aliasOf: unique symbol = Symbol.for('starrocks-mv.aliasOf')

/**
 * A table under an alias, for joins and self-joins: `${o}` renders `` `shop`.`orders` AS `o` ``
 * (for FROM and JOIN), `${o.user_id}` renders `` `o`.`user_id` ``, and both record the table as a
 * dependency. Made by `table.as(alias)`.
 */
export type AliasedTable<Alias extends string = string, Columns extends Record<string, string> = Record<string, string>> = {
  readonly [K in keyof Columns & string]: Column<K, Columns[K]>
} & SqlReferenceable & { readonly [aliasOf]?: Alias }

/** `.as(alias)` of a table (absent when a column is named `as`: use {@link aliasTable} then). */
export type TableAliasMethod<Columns extends Record<string, string>> = 'as' extends keyof Columns
  ? unknown
  : {
      /** The table under an alias (`` `shop`.`orders` AS `o` ``), for joins and self-joins. */
      as<const Alias extends string>(alias: Alias): AliasedTable<Alias, Columns>
    }

/**
 * A typed reference to a source table: `${t}` renders `` `schema`.`name` `` (`` `catalog`.`schema`.`name` ``
 * for a table of an external catalog); every declared column is a property (`t.user_id`). Using an
 * undeclared column is a compile error. `t.as('x')` gives the table under an alias.
 */
export type Table<Name extends string = string, Columns extends Record<string, string> = Record<string, string>> = {
  readonly [K in keyof Columns & string]: Column<K, Columns[K]>
} & SqlReferenceable & { readonly [tableInfo]: TableInfo<Name, Columns> } & TableAliasMethod<Columns>

const assertName = (what: string, name: unknown): void => {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`table(): ${what} must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}.`)
  }
}

/**
 * Where an unmanaged table lives: its database (`schema`) and, for a table of an external catalog
 * (Hive, Iceberg, Hudi, Delta Lake, JDBC ...), the `catalog`. A catalog needs a schema: StarRocks
 * names such tables `catalog.db.table`. `default_catalog` is the internal catalog (the same as none).
 */
export type TableLocation = {
  /** The database. */
  readonly schema?: string
  /** An external catalog (`'hive'`): `${t}` renders `` `hive`.`db`.`table` ``. Needs `schema`. */
  readonly catalog?: string
}

/**
 * Declare a source table so queries can reference it with types (this project does not migrate tables).
 *
 * @example
 * ```ts
 * const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE' }, { schema: 'shop' })
 * sql`SELECT ${orders.user_id} FROM ${orders}`.toSQL() // SELECT `orders`.`user_id` FROM `shop`.`orders`
 * const events = table('events', { id: 'BIGINT' }, { catalog: 'hive', schema: 'logs' })
 * sql`SELECT ${events.id} FROM ${events}`.toSQL() // SELECT `events`.`id` FROM `hive`.`logs`.`events`
 * ```
 */
export const table = <const Name extends string, const Columns extends Record<string, string>>(
  name: Name,
  columns: Columns,
  options: TableLocation = {},
): Table<Name, Columns> => tableReference(name, columns, options, {}, 'table')

/** The identifier parts of a table: `[catalog, schema, name]`, `[schema, name]` or `[name]`. */
const tableParts = (info: Pick<TableInfo, 'catalog' | 'schema' | 'name'>): readonly string[] =>
  Object.freeze([...(info.catalog === undefined ? [] : [info.catalog]), ...(info.schema === undefined ? [] : [info.schema]), info.name])

/** The dependency a table records. */
const tableDependency = (info: Pick<TableInfo, 'catalog' | 'schema' | 'name'>): SqlDependency =>
  Object.freeze({
    ...(info.catalog === undefined ? {} : { catalog: info.catalog }),
    ...(info.schema === undefined ? {} : { schema: info.schema }),
    name: info.name,
  })

/**
 * Build a typed table reference (the body of {@link table}); `extra` adds symbol-keyed metadata (the
 * schema layer attaches a managed table's definition this way); `caller` names the function in errors.
 * @internal
 */
export const tableReference = <const Name extends string, const Columns extends Record<string, string>>(
  name: Name,
  columns: Columns,
  location: TableLocation,
  extra: Readonly<Record<symbol, unknown>>,
  caller: string,
): Table<Name, Columns> => {
  assertName('the table name', name)
  if (location.schema !== undefined) assertName('the schema', location.schema)
  if (location.catalog !== undefined) assertName('the catalog', location.catalog)
  // default_catalog is the internal catalog: the same table as one declared without a catalog
  const catalog = isDefaultCatalog(location.catalog) ? undefined : location.catalog
  if (catalog !== undefined && location.schema === undefined) {
    throw new TypeError(`${caller}('${name}'): a table of catalog '${catalog}' needs its database: ${caller}('${name}', columns, { catalog: '${catalog}', schema: 'db' }) names \`${catalog}\`.\`db\`.\`${name}\`.`)
  }
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    throw new TypeError(`${caller}('${name}'): columns must be an object mapping column names to StarRocks types.`)
  }
  const info: TableInfo<Name, Columns> = Object.freeze({
    name,
    ...(catalog === undefined ? {} : { catalog }),
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    columns: Object.freeze({ ...columns }),
  })
  const dependency = tableDependency(info)
  const out: Record<string | symbol, unknown> = {}
  for (const [col, type] of Object.entries(columns)) {
    assertName(`column names of '${name}'`, col)
    if (col === '__proto__') {
      throw new TypeError(`table('${name}'): the column name "__proto__" is refused: as a key it would replace the prototype of the table object. Leave the column out of table(), and write it in the query with sql.id('__proto__').`)
    }
    if (typeof type !== 'string' || type.trim() === '') {
      throw new TypeError(`${caller}('${name}'): column '${col}' needs a StarRocks type string such as 'BIGINT'.`)
    }
    const ref: SqlReferenceInfo = Object.freeze({ parts: Object.freeze([name, col]), dependency })
    out[col] = Object.freeze({ columnName: col, columnType: type, tableName: name, [sqlReference]: () => ref })
  }
  const selfRef: SqlReferenceInfo = Object.freeze({ parts: tableParts(info), dependency })
  out[sqlReference] = () => selfRef
  out[tableInfo] = info
  for (const key of Object.getOwnPropertySymbols(extra)) out[key] = extra[key]
  // a column named `as` keeps its name: aliasTable() gives the alias then
  if (!Object.hasOwn(columns, 'as')) {
    Object.defineProperty(out, 'as', { value: (alias: string) => aliasTable(out as unknown as Table<Name, Columns>, alias), enumerable: false })
  }
  return Object.freeze(out) as Table<Name, Columns>
}

/**
 * `table` under `alias`: `${a}` renders `` `schema`.`name` AS `alias` `` (with its catalog first for a
 * table of an external catalog) and `${a.column}` renders
 * `` `alias`.`column` ``; both record `table` as a dependency, so joins and self-joins need no
 * plain strings. The same as `table.as(alias)`, which a table with a column named `as` lacks.
 *
 * @example
 * ```ts
 * const o = orders.as('o')
 * const p = orders.as('p')
 * sql`SELECT ${o.id}, ${p.id} FROM ${o} JOIN ${p} ON ${o.user_id} = ${p.user_id}`.toSQL()
 * // SELECT `o`.`id`, `p`.`id` FROM `shop`.`orders` AS `o` JOIN `shop`.`orders` AS `p` ON `o`.`user_id` = `p`.`user_id`
 * ```
 */
export const aliasTable = <const Alias extends string, Columns extends Record<string, string>>(table: Table<string, Columns>, alias: Alias): AliasedTable<Alias, Columns> => {
  const info = (table as { readonly [tableInfo]?: TableInfo<string, Columns> } | null)?.[tableInfo]
  if (info === undefined) throw new TypeError(`aliasTable() takes a table(...) reference, got ${typeof table}.`)
  assertName(`the alias of table '${info.name}'`, alias)
  if (alias.includes('\0')) throw new TypeError(`table('${info.name}').as(): the alias must not contain NUL.`)
  const dependency = tableDependency(info)
  const out: Record<string | symbol, unknown> = { [aliasOf]: alias }
  for (const [col, type] of Object.entries(info.columns)) {
    const ref: SqlReferenceInfo = Object.freeze({ parts: Object.freeze([alias, col]), dependency })
    out[col] = Object.freeze({ columnName: col, columnType: type, tableName: alias, [sqlReference]: () => ref })
  }
  const selfRef: SqlReferenceInfo = Object.freeze({ parts: tableParts(info), dependency, alias })
  out[sqlReference] = () => selfRef
  return Object.freeze(out) as AliasedTable<Alias, Columns>
}
