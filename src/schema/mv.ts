import { StarRocksMvError } from '../errors.js'
import { freezeDeep, MvDefinition, QualifiedName, type Distribution, type MvColumn, type MvIndex, type RebuildStrategy } from '../model/index.js'
import { checkMvName, checkSchemaName, MAX_COUNT, renderCreate, validateDefinition, type RenderCreateOptions } from '../render/index.js'
import { describe, isSql, quoteIdentifier, sqlReference, type Sql, type SqlReferenceInfo } from '../sql/index.js'
import { propertiesText } from './property-input.js'
import { asyncRefresh, manualRefresh } from './refresh-spec.js'
import type { MaterializedView, MvBuilder, NewMvBuilder, ColumnRef, MvColumnInput, DistributionOptions, AsyncRefreshOptions, ManualRefreshOptions, IndexOptions } from './types/mv-builder.js'
import type { MvProperties, PropertyEscapeHatch } from './types/properties.js'

/** The builder's private props bag: an {@link MvDefinition} whose query may still be missing. */
type Props = Omit<MvDefinition, 'kind' | 'query'> & { readonly query?: string }

const invalid = (subject: string, message: string, value?: unknown): StarRocksMvError =>
  new StarRocksMvError('INVALID_MV', `${subject}: ${message}`, { mv: subject, ...(value === undefined ? {} : { value }) })

const isColumn = (x: unknown): x is { readonly columnName: string } =>
  typeof x === 'object' && x !== null && typeof (x as { columnName?: unknown }).columnName === 'string'

const columnName = (c: unknown, subject: string, what: string): string => {
  if (isColumn(c)) return c.columnName
  if (typeof c === 'string' && c.length > 0) return c
  throw invalid(subject, `${what} takes column names or typed columns, got ${typeof c === 'string' ? '""' : describe(c)}.`, c)
}

/**
 * Characters that mark a PARTITION BY string as an expression (a call, a literal, an operator, a
 * quoted name), not a bare column name: `"date_trunc('day', order_date)"`.
 */
const EXPRESSION_CHARS = /[\s()'"`,+*/%=<>|;]/

const indexProperties = (props: unknown, name: string, subject: string): Readonly<Record<string, string>> => {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw invalid(subject, `the properties of index ${JSON.stringify(name)} must be an object of names and values, got ${describe(props)}.`, props)
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = String(v)
    else throw invalid(subject, `index ${JSON.stringify(name)}: property ${JSON.stringify(k)} takes a string, number or boolean, got ${describe(v)}.`, v)
  }
  return Object.freeze(out)
}

const escapeExample = ".properties({}, { unknown: { KEY: '...' }, alterable: ['KEY'] })"

class MvBuilderImpl {
  readonly #props: Props
  #definition: MvDefinition | undefined

  constructor(props: Props) {
    this.#props = Object.freeze(props)
    Object.freeze(this)
  }

  static isComplete(x: unknown): boolean {
    return x instanceof MvBuilderImpl && x.#props.query !== undefined
  }

  #with(change: Partial<Props>): MvBuilderImpl {
    return new MvBuilderImpl({ ...this.#props, ...change })
  }

  get #subject(): string {
    return QualifiedName.key(this.#props)
  }

  get qualifiedName(): QualifiedName {
    return QualifiedName.create(this.#props.name, this.#props.schema)
  }

  schema(database: string): MvBuilderImpl {
    checkSchemaName(database, this.#props.name)
    return this.#with({ schema: database })
  }

  columns(...columns: readonly MvColumnInput[]): MvBuilderImpl {
    const list: MvColumn[] = columns.map((input) => {
      const c: unknown = input
      if (typeof c === 'string') return Object.freeze({ name: c })
      if (isColumn(c)) return Object.freeze({ name: c.columnName })
      if (c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string') {
        const { name, comment, ...rest } = c as { name: string; comment?: unknown }
        const extra = Object.keys(rest)
        if (extra.length > 0) {
          throw invalid(
            this.#subject,
            `.columns() entry "${name}" has ${extra.map((k) => `"${k}"`).join(', ')}, which an MV's column list does not take: it takes names, typed columns or { name, comment } (StarRocks takes the types from the query). Remove ${extra.length === 1 ? 'it' : 'them'}.`,
            c,
          )
        }
        if (comment !== undefined && typeof comment !== 'string') {
          throw invalid(this.#subject, `the comment of column "${name}" must be a string, got ${describe(comment)}.`, comment)
        }
        return Object.freeze(comment === undefined ? { name } : { name, comment })
      }
      throw invalid(this.#subject, `.columns() takes names, typed columns or { name, comment }, got ${describe(c)}.`, c)
    })
    if (list.length === 0) throw invalid(this.#subject, '.columns() needs at least one column.')
    for (const c of list) if (c.name.length === 0) throw invalid(this.#subject, 'a column name must not be empty.', c.name)
    return this.#with({ columns: Object.freeze(list) })
  }

  index(name: string, columns: ColumnRef | readonly ColumnRef[], options: IndexOptions = {}): MvBuilderImpl {
    if (typeof name !== 'string' || name.length === 0) throw invalid(this.#subject, `.index() needs a name, got ${describe(name)}.`, name)
    const list = (Array.isArray(columns) ? columns : [columns]) as readonly unknown[]
    if (list.length === 0) throw invalid(this.#subject, `.index(${JSON.stringify(name)}) needs at least one column.`)
    if (options === null || typeof options !== 'object') throw invalid(this.#subject, `.index(${JSON.stringify(name)}) takes options { using?, properties?, comment? }.`, options)
    const index: MvIndex = Object.freeze({
      name,
      columns: Object.freeze(list.map((c) => columnName(c, this.#subject, '.index()'))),
      ...(options.using === undefined ? {} : { using: options.using }),
      ...(options.properties === undefined ? {} : { properties: indexProperties(options.properties, name, this.#subject) }),
      ...(options.comment === undefined ? {} : { comment: options.comment }),
    })
    const others = (this.#props.indexes ?? []).filter((ix) => ix.name.toLowerCase() !== name.toLowerCase())
    return this.#with({ indexes: Object.freeze([...others, index]) })
  }

  comment(text: string): MvBuilderImpl {
    if (typeof text !== 'string') throw invalid(this.#subject, `.comment() takes a string, got ${describe(text)}.`, text)
    return this.#with({ comment: text })
  }

  partitionBy(...expressions: readonly (ColumnRef | Sql)[]): MvBuilderImpl {
    if (expressions.length === 0) throw invalid(this.#subject, '.partitionBy() needs a column or an expression.')
    const parts = expressions.map((e) => {
      if (isSql(e)) {
        const text = e.toSQL().trim()
        if (text === '') throw invalid(this.#subject, '.partitionBy() got an empty sql fragment.')
        return text
      }
      const name = columnName(e, this.#subject, '.partitionBy()')
      if (typeof e === 'string' && EXPRESSION_CHARS.test(name)) {
        throw invalid(
          this.#subject,
          `.partitionBy(${JSON.stringify(name)}) looks like an expression, but a string here is a column name (it would be quoted as one, and the server would refuse it). ` +
            `Write an expression with the sql tag, e.g. .partitionBy(sql\`date_trunc('day', \${orders.order_date})\`), or sql.raw(${JSON.stringify(name)}) for text written by hand; give a column by its bare name, e.g. .partitionBy('order_date').`,
          name,
        )
      }
      return quoteIdentifier(name)
    })
    return this.#with({ partitionBy: Object.freeze(parts) })
  }

  get distributedBy(): { hash: (c: ColumnRef | readonly ColumnRef[], o?: DistributionOptions) => MvBuilderImpl; random: (o?: DistributionOptions) => MvBuilderImpl } {
    const buckets = (o: DistributionOptions | undefined): { buckets?: number } => {
      if (o?.buckets === undefined) return {}
      if (typeof o.buckets !== 'number' || !Number.isInteger(o.buckets) || o.buckets <= 0) {
        throw invalid(this.#subject, `BUCKETS must be a whole number greater than 0, got ${describe(o.buckets)}. Omit it to let StarRocks choose.`, o.buckets)
      }
      if (o.buckets > MAX_COUNT) {
        throw invalid(this.#subject, `BUCKETS ${describe(o.buckets)} is too large: StarRocks takes at most ${MAX_COUNT}. Omit it to let StarRocks choose.`, o.buckets)
      }
      return { buckets: o.buckets }
    }
    return Object.freeze({
      hash: (columns: ColumnRef | readonly ColumnRef[], options?: DistributionOptions): MvBuilderImpl => {
        const list = (Array.isArray(columns) ? columns : [columns]) as readonly unknown[]
        if (list.length === 0) throw invalid(this.#subject, 'DISTRIBUTED BY HASH needs at least one column.')
        // frozen as built: a definition takes frozen parts as they are, without a copy
        const distribution: Distribution = freezeDeep({ kind: 'hash', columns: list.map((c) => columnName(c, this.#subject, '.distributedBy.hash()')), ...buckets(options) })
        return this.#with({ distribution })
      },
      random: (options?: DistributionOptions): MvBuilderImpl => this.#with({ distribution: freezeDeep({ kind: 'random', ...buckets(options) }) }),
    })
  }

  orderBy(...columns: readonly ColumnRef[]): MvBuilderImpl {
    if (columns.length === 0) throw invalid(this.#subject, '.orderBy() needs at least one column.')
    return this.#with({ orderBy: Object.freeze(columns.map((c) => columnName(c, this.#subject, '.orderBy()'))) })
  }

  get refresh(): { async: (o?: AsyncRefreshOptions) => MvBuilderImpl; manual: (o?: ManualRefreshOptions) => MvBuilderImpl } {
    return Object.freeze({
      async: (options: AsyncRefreshOptions = {}): MvBuilderImpl => this.#with({ refresh: asyncRefresh(options, this.#subject, true) }),
      manual: (options: ManualRefreshOptions = {}): MvBuilderImpl => this.#with({ refresh: manualRefresh(options, this.#subject, true) }),
    })
  }

  properties(properties: MvProperties, escape?: PropertyEscapeHatch): MvBuilderImpl {
    const added = propertiesText(properties, escape?.unknown, this.#subject, escapeExample)
    const alterable = escape?.alterable
    if (alterable !== undefined && (!Array.isArray(alterable) || alterable.some((k) => typeof k !== 'string' || k.length === 0))) {
      throw invalid(this.#subject, 'the escape hatch "alterable" must be an array of property names.', alterable)
    }
    const declared = [...new Set([...(this.#props.alterableProperties ?? []), ...(alterable ?? [])])]
    return this.#with({
      properties: Object.freeze({ ...this.#props.properties, ...added }),
      ...(declared.length === 0 ? {} : { alterableProperties: Object.freeze(declared) }),
    })
  }

  sync(): MvBuilderImpl {
    return this.#with({ sync: true })
  }

  renamedFrom(oldName: string): MvBuilderImpl {
    checkMvName(oldName, 'renamedFrom', this.#subject)
    return this.#with({ renamedFrom: oldName })
  }

  rebuild(strategy: RebuildStrategy): MvBuilderImpl {
    if (strategy !== 'swap' && strategy !== 'drop-create') {
      throw invalid(this.#subject, `.rebuild() takes 'swap' or 'drop-create', got ${JSON.stringify(strategy) ?? describe(strategy)}.`, strategy)
    }
    return this.#with({ rebuild: strategy })
  }

  as(query: Sql | string): MvBuilderImpl {
    if (isSql(query)) {
      const text = query.toSQL()
      if (text.trim() === '') throw invalid(this.#subject, '.as() got an empty sql fragment: give the MV its query.')
      return this.#with({ query: text, dependencies: Object.freeze(query.dependencies.map((d) => QualifiedName.create(d.name, d.schema, d.catalog))) })
    }
    if (typeof query === 'string') {
      if (query.trim() === '') throw invalid(this.#subject, '.as() got an empty query.')
      // The text is not read here: recorded dependencies are part of the ops of migration files, whose
      // checksums must not change. The differ reads the text (`mvDependencies`).
      return this.#with({ query, dependencies: Object.freeze([]) })
    }
    throw invalid(this.#subject, `.as() takes a sql fragment or a string, got ${describe(query)}.`, query)
  }

  get definition(): MvDefinition {
    if (this.#definition !== undefined) return this.#definition
    if (this.#props.query === undefined) {
      throw invalid(
        this.#subject,
        'this materialized view has no query: call .as(sql`SELECT ...`) before using it where a complete MV is needed.',
      )
    }
    // create() copies the known fields by name: the builder's state is handed over as it is
    const def = MvDefinition.create(this.#props as Parameters<typeof MvDefinition.create>[0])
    validateDefinition(def)
    this.#definition = def
    return def
  }

  toSQL(options?: RenderCreateOptions): string {
    return renderCreate(this.definition, options)
  }

  [sqlReference](): SqlReferenceInfo {
    const { name, schema } = this.#props
    return { parts: schema === undefined ? [name] : [schema, name], dependency: QualifiedName.create(name, schema) }
  }

  toString(): string {
    return `MaterializedView(${this.#subject})`
  }
}

/**
 * Start an MV definition. Every method returns a new frozen builder, in any order; `.as(query)`
 * makes it a {@link MaterializedView}. `${someMv}` in another MV's `sql` query renders its quoted
 * name and records the dependency.
 *
 * @example
 * ```ts
 * const daily = mv('daily_sales_mv')
 *   .schema('analytics')
 *   .partitionBy('order_date')
 *   .distributedBy.hash('order_date', { buckets: 8 })
 *   .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
 *   .properties({ replication_num: 1 })
 *   .as(sql`SELECT ${orders.order_date}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)
 * daily.toSQL() // CREATE MATERIALIZED VIEW `analytics`.`daily_sales_mv` ...
 * ```
 */
export const mv = <const Name extends string>(name: Name): NewMvBuilder<Name> => {
  checkMvName(name)
  return new MvBuilderImpl({ name, sync: false, properties: Object.freeze({}), dependencies: Object.freeze([]) }) as unknown as NewMvBuilder<Name>
}

/** True for an MV builder with a query (a complete {@link MaterializedView}). */
export const isMaterializedView = (x: unknown): x is MaterializedView => MvBuilderImpl.isComplete(x)

/** True for any MV builder, complete or not. */
export const isMvBuilder = (x: unknown): x is MvBuilder | MaterializedView => x instanceof MvBuilderImpl

/**
 * The validated {@link MvDefinition} of a complete MV, or a definition checked as is. Throws
 * `INVALID_MV` for a builder without `.as(...)` or anything else.
 */
export const toDefinition = (mvOrDefinition: MaterializedView | MvDefinition): MvDefinition => {
  const x: unknown = mvOrDefinition
  if (x instanceof MvBuilderImpl) return x.definition
  if (x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'MvDefinition') {
    validateDefinition(x as MvDefinition)
    return x as MvDefinition
  }
  throw new StarRocksMvError('INVALID_MV', `Expected a materialized view (mv(name)...as(query)) or an MvDefinition, got ${describe(x)}.`)
}
