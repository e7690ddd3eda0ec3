import { StarRocksMvError } from '../errors.js'
import { QualifiedName, ViewDefinition, type MvColumn, type ViewSecurity } from '../model/index.js'
import { checkSchemaName, renderCreateView } from '../render/index.js'
import { describe, isSql, sqlReference, type Sql, type SqlReferenceInfo } from '../sql/index.js'

const invalid = (subject: string, message: string, value?: unknown): StarRocksMvError =>
  new StarRocksMvError('INVALID_VIEW', `${subject}: ${message}`, { view: subject, ...(value === undefined ? {} : { value }) })

type Props = Omit<ViewDefinition, 'kind' | 'query'> & { readonly query?: string }

/** A view builder: every method returns a new frozen builder; `.as(query)` completes it. */
export interface ViewBuilder {
  /** The database the view lives in. */
  schema(database: string): ViewBuilder
  /** The column list: names, or `{ name, comment }`. */
  columns(...columns: readonly (string | MvColumn)[]): ViewBuilder
  comment(text: string): ViewBuilder
  /** `SECURITY NONE | INVOKER` (StarRocks 3.4.1+). */
  security(mode: ViewSecurity): ViewBuilder
  /** Rename hint for the differ: the view was previously named so. */
  renamedFrom(oldName: string): ViewBuilder
  /** The defining query; `${table}`, `${mv}` and `${view}` references in a `sql` fragment are recorded as dependencies. */
  as(query: Sql | string): View
}

/** A complete view: usable in `sql` (renders its quoted name and records the dependency), in schema modules and in ops. */
export interface View {
  readonly definition: ViewDefinition
  /** CREATE VIEW for a StarRocks version. */
  toSQL(options?: { readonly version?: string }): string
  readonly [sqlReference]: () => SqlReferenceInfo
}

class ViewBuilderImpl implements ViewBuilder {
  readonly #props: Props
  constructor(props: Props) {
    this.#props = Object.freeze(props)
    Object.freeze(this)
  }
  get #subject(): string {
    return QualifiedName.key(this.#props)
  }
  #with(change: Partial<Props>): ViewBuilderImpl {
    return new ViewBuilderImpl({ ...this.#props, ...change })
  }
  schema(database: string): ViewBuilderImpl {
    checkSchemaName(database, this.#props.name)
    return this.#with({ schema: database })
  }
  columns(...columns: readonly (string | MvColumn)[]): ViewBuilderImpl {
    if (columns.length === 0) throw invalid(this.#subject, '.columns() needs at least one column.')
    const list = columns.map((c): MvColumn => {
      if (typeof c === 'string' && c.length > 0) return { name: c }
      if (c !== null && typeof c === 'object' && typeof c.name === 'string' && c.name.length > 0 && (c.comment === undefined || typeof c.comment === 'string')) {
        return c.comment === undefined ? { name: c.name } : { name: c.name, comment: c.comment }
      }
      throw invalid(this.#subject, `.columns() takes names or { name, comment }, got ${describe(c)}.`, c)
    })
    return this.#with({ columns: list })
  }
  comment(text: string): ViewBuilderImpl {
    if (typeof text !== 'string') throw invalid(this.#subject, `.comment() takes a string, got ${describe(text)}.`, text)
    return this.#with({ comment: text })
  }
  security(mode: ViewSecurity): ViewBuilderImpl {
    if (mode !== 'NONE' && mode !== 'INVOKER') throw invalid(this.#subject, `.security() takes 'NONE' or 'INVOKER', got ${describe(mode)}.`, mode)
    return this.#with({ security: mode })
  }
  renamedFrom(oldName: string): ViewBuilderImpl {
    if (typeof oldName !== 'string' || oldName.length === 0) throw invalid(this.#subject, `.renamedFrom() takes the old view name, got ${describe(oldName)}.`, oldName)
    return this.#with({ renamedFrom: oldName })
  }
  as(query: Sql | string): View {
    let text: string
    let dependencies: QualifiedName[] = []
    if (isSql(query)) {
      text = query.toSQL()
      dependencies = query.dependencies.map((d) => QualifiedName.create(d.name, d.schema, d.catalog))
    } else if (typeof query === 'string') text = query
    else throw invalid(this.#subject, `.as() takes a sql fragment or a string, got ${describe(query)}.`, query)
    if (text.trim() === '') throw invalid(this.#subject, '.as() got an empty query: give the view its query.')
    const definition = ViewDefinition.create({ ...this.#props, query: text, dependencies })
    const ref: SqlReferenceInfo = Object.freeze({
      parts: Object.freeze(definition.schema === undefined ? [definition.name] : [definition.schema, definition.name]),
      dependency: QualifiedName.create(definition.name, definition.schema),
    })
    return Object.freeze({
      definition,
      toSQL: (options?: { readonly version?: string }) => renderCreateView(definition, options),
      [sqlReference]: () => ref,
      toString: () => `View(${QualifiedName.key(definition)})`,
    })
  }
}

/**
 * Start a view definition. `.as(sql\`...\`)` makes it a {@link View}, managed in the same plan as the
 * tables and MVs (CREATE, ALTER VIEW for a new query, DROP), and usable in other queries as `${v}`.
 *
 * @example
 * ```ts
 * const paid = view('paid_orders').schema('shop').comment('orders with a payment')
 *   .as(sql`SELECT * FROM ${orders} WHERE ${orders.amount} > 0`)
 * ```
 */
export const view = (name: string): ViewBuilder => {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw invalid(String(name), `view(): the name must be a non-empty string without NUL, got ${describe(name)}.`, name)
  }
  return new ViewBuilderImpl({ name, dependencies: [] })
}

/** True when `x` is a complete view (from `view(...).as(...)`). */
export const isView = (x: unknown): x is View =>
  typeof x === 'object' && x !== null && (x as { definition?: { kind?: unknown } }).definition?.kind === 'ViewDefinition'
