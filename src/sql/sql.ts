import { describe, quoteQualified, renderLiteral, type LiteralValue } from './quote.js'

const SQL_BRAND: unique symbol = Symbol.for('starrocks-mv.sql')

/**
 * The protocol by which objects other than fragments become identifiers in a fragment: tables,
 * columns and MVs implement it. `${x}` renders `x[sqlReference]().parts` quoted, and records
 * `dependency` (when present) as an object the fragment reads.
 */
export const sqlReference: unique symbol = Symbol.for('starrocks-mv.sqlReference')

/** What a referenceable object tells the tag. */
export interface SqlReferenceInfo {
  /** Identifier parts, quoted and joined with dots. */
  readonly parts: readonly string[]
  /** The table or MV the reference reads, recorded for dependency ordering. */
  readonly dependency?: SqlDependency
  /** A table alias: rendered after the name as `` AS `alias` `` (a table in FROM or JOIN). */
  readonly alias?: string
}

/** An object that renders as an identifier in the `sql` tag (tables, columns, MVs). */
export interface SqlReferenceable {
  readonly [sqlReference]: () => SqlReferenceInfo
}

/**
 * A dependency recorded by a fragment. `catalog` names an external catalog (`hive.sales.orders`);
 * it is absent for the internal catalog (`default_catalog`).
 */
export interface SqlDependency {
  readonly catalog?: string
  readonly schema?: string
  readonly name: string
}

/** True when `catalog` names StarRocks's internal catalog (`default_catalog`, in any case) or nothing. */
export const isDefaultCatalog = (catalog: string | undefined): boolean => catalog === undefined || catalog.toLowerCase() === 'default_catalog'

/** One part of a {@link dependencyIdentity}: `length:text`, or a NUL for none (so no two keys collide). */
const identityPart = (part: string | undefined): string => (part === undefined ? '\u0000' : `${part.length}:${part}`)

/** A stable key of a dependency for de-duplication (catalog, database and name). */
export const dependencyIdentity = (d: SqlDependency): string =>
  identityPart(isDefaultCatalog(d.catalog) ? undefined : d.catalog) + identityPart(d.schema) + d.name

/**
 * A frozen SQL fragment. Made only by the `sql` tag and its helpers; branded with a symbol, so a
 * value rebuilt from JSON is not a fragment and cannot smuggle text into SQL.
 */
export interface Sql {
  readonly [SQL_BRAND]: true
  /** The SQL text. */
  toSQL(): string
  /** The tables and MVs this fragment references, in first-seen order, without duplicates. */
  readonly dependencies: readonly SqlDependency[]
}

class SqlFragment implements Sql {
  readonly [SQL_BRAND] = true as const
  readonly #text: string
  readonly dependencies: readonly SqlDependency[]
  constructor(text: string, dependencies: readonly SqlDependency[]) {
    this.#text = text
    this.dependencies = Object.freeze(dependencies.map((d) => Object.freeze({ ...d })))
    Object.freeze(this)
  }
  toSQL(): string {
    return this.#text
  }
  toString(): string {
    return this.#text
  }
  toJSON(): { readonly sql: string } {
    return { sql: this.#text }
  }
}

/** True when `value` is a real fragment (not one rebuilt from JSON). */
export const isSql = (value: unknown): value is Sql => value instanceof SqlFragment

/** True when `value` implements {@link SqlReferenceable}. */
export const isSqlReferenceable = (value: unknown): value is SqlReferenceable =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as Partial<SqlReferenceable>)[sqlReference] === 'function'

/** What `${...}` accepts in the `sql` tag. */
export type SqlValue = Sql | SqlReferenceable | LiteralValue

/** The compile-time message for a value the tag refuses. */
export type SqlInterpolationError<T> =
  `sql: cannot interpolate a value of this type (${T extends undefined ? 'undefined' : T extends symbol ? 'symbol' : T extends (...args: never[]) => unknown ? 'function' : T extends readonly unknown[] ? 'array' : 'object'}); use a Sql fragment, a table, column or MV reference, or a string, number, bigint, boolean, null or Date`

/** Maps each interpolated value type to itself when allowed, or to the error message type. */
export type CheckedValues<T extends readonly unknown[]> = {
  readonly [K in keyof T]: T[K] extends SqlValue ? T[K] : SqlInterpolationError<T[K]>
}

const dedupe = (deps: readonly SqlDependency[]): SqlDependency[] => {
  // the columns of one table share its dependency object: most repeats are caught without a key
  const seenObjects = new Set<SqlDependency>()
  const seen = new Set<string>()
  const out: SqlDependency[] = []
  for (const d of deps) {
    if (seenObjects.has(d)) continue
    seenObjects.add(d)
    const key = dependencyIdentity(d)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(d)
    }
  }
  return out
}

const renderValue = (value: unknown, position: number, deps: SqlDependency[]): string => {
  if (isSql(value)) {
    deps.push(...value.dependencies)
    return value.toSQL()
  }
  if (isSqlReferenceable(value)) {
    const info = value[sqlReference]()
    if (info.dependency !== undefined) deps.push(info.dependency)
    const name = quoteQualified(...info.parts)
    return info.alias === undefined ? name : `${name} AS ${quoteQualified(info.alias)}`
  }
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof Date ||
    (typeof value === 'number' && Number.isFinite(value))
  ) {
    return renderLiteral(value)
  }
  const hint =
    typeof value === 'number'
      ? ' (only finite numbers can be inlined)'
      : value !== null && typeof value === 'object' && !Array.isArray(value) && 'sql' in value
        ? ' (a fragment rebuilt from JSON is not a fragment: build it with the sql tag)'
        : ''
  throw new TypeError(
    `sql: cannot interpolate ${describe(value)} at position ${position} (\${...} number ${position + 1})${hint}. ` +
      'Use a Sql fragment, a table, column or MV reference, or a string, number, bigint, boolean, null or Date.',
  )
}

/**
 * A tagged template gets `undefined` for a part holding an escape JavaScript cannot read (`\1`,
 * `\8`, `\01`, `\xZ`, `\u{110000}`, ...): that text would be lost from the query.
 */
const unreadableEscape = (raw: string): TypeError => {
  const at = raw.search(/\\(?:[1-9]|0\d|x(?![0-9A-Fa-f]{2})|u(?![0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}))/)
  const shown = at < 0 ? raw.slice(0, 40) : raw.slice(Math.max(0, at - 20), at + 20)
  return new TypeError(
    `sql\`...\`: the text ${JSON.stringify(shown)} holds an escape JavaScript cannot read in a template literal, so that part of the query would be lost. ` +
      'Write each backslash meant for the SQL text as \\\\ in the template (\\\\1 gives \\1), or pass the text as a value (${\'...\'}).',
  )
}

function sqlTag<const T extends readonly unknown[]>(strings: TemplateStringsArray, ...values: CheckedValues<T>): Sql
function sqlTag(strings: TemplateStringsArray, ...values: readonly unknown[]): Sql {
  if (!Array.isArray(strings) || !('raw' in strings)) {
    throw new TypeError('sql must be used as a tagged template: sql`SELECT ...`.')
  }
  for (let i = 0; i < strings.length; i++) if (strings[i] === undefined) throw unreadableEscape(strings.raw[i] ?? '')
  const deps: SqlDependency[] = []
  let text = strings[0] as string
  values.forEach((value, i) => {
    text += renderValue(value, i, deps) + (strings[i + 1] as string)
  })
  return new SqlFragment(text, dedupe(deps))
}

/** The `sql` tag with its helpers. */
export interface SqlTag {
  /**
   * Build a fragment. `${x}` renders a fragment as is, a reference as a quoted identifier, and a
   * string, number, bigint, boolean, `null` or `Date` as an inline literal. Text JavaScript cannot
   * read in a template literal (an escape such as `\1` or `\8`, which reaches a tag as `undefined`)
   * is refused with a TypeError instead of being left out: write `\\1` for a backslash and a 1.
   */
  (strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql
  /**
   * The same, for a call the first signature refuses: infers each value's type so the error names
   * what cannot be interpolated (the first signature keeps valid calls free of inference cost).
   */
  <const T extends readonly unknown[]>(strings: TemplateStringsArray, ...values: CheckedValues<T>): Sql
  /** A quoted, dot-joined identifier: `sql.id('db', 'mv')` → `` `db`.`mv` ``. */
  id(...parts: readonly [string, ...string[]]): Sql
  /** An inline literal through the one literal renderer: `sql.lit("it's")` → `'it\'s'`. */
  lit(value: LiteralValue): Sql
  /**
   * UNSAFE: `text` goes into SQL as is, with no quoting at all. Use only for text you wrote yourself,
   * never for input from users, files or the network.
   */
  raw(text: string): Sql
  /** Join fragments and values with a separator fragment (default `, `). */
  join(items: readonly SqlValue[], separator?: Sql | string): Sql
  /** The empty fragment. */
  readonly empty: Sql
}

/**
 * The `sql` tagged template: the safe way to write SQL text with values and names in it.
 *
 * @example
 * ```ts
 * const orders = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
 * sql`SELECT ${orders.id} FROM ${orders} WHERE ${orders.amount} > ${100}`.toSQL()
 * // SELECT `orders`.`id` FROM `shop`.`orders` WHERE `orders`.`amount` > 100
 * ```
 */
export const sql: SqlTag = Object.assign(sqlTag as SqlTag, {
  id: (...parts: readonly [string, ...string[]]): Sql => new SqlFragment(quoteQualified(...parts), []),
  lit: (value: LiteralValue): Sql => new SqlFragment(renderLiteral(value), []),
  raw: (text: string): Sql => {
    if (typeof text !== 'string') throw new TypeError(`sql.raw() takes a string, got ${describe(text)}.`)
    return new SqlFragment(text, [])
  },
  join: (items: readonly SqlValue[], separator: Sql | string = ', '): Sql => {
    if (!Array.isArray(items)) throw new TypeError(`sql.join() takes an array, got ${describe(items)}.`)
    const sep = typeof separator === 'string' ? separator : separator.toSQL()
    const deps: SqlDependency[] = []
    const text = items.map((v, i) => renderValue(v, i, deps)).join(sep)
    return new SqlFragment(text, dedupe(deps))
  },
  empty: new SqlFragment('', []),
})

/** Make a fragment from already-safe text and dependencies (for the renderers in this package). */
export const unsafeFragment = (text: string, dependencies: readonly SqlDependency[] = []): Sql =>
  new SqlFragment(text, dedupe([...dependencies]))
