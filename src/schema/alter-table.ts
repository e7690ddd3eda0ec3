import { StarRocksMvError } from '../errors.js'
import { QualifiedName, TableDefinition, type TableAlterChange, type TableColumn } from '../model/index.js'
import { isAlterableTableProperty, renderAlterTableStatements } from '../render/index.js'
import { describe, tableInfo, type Table } from '../sql/index.js'
import { isManagedTable, tableDefinition, tableProperties, toColumn } from './table.js'
import type { TableAlter } from './types/table-alter.js'

const invalid = (subject: string, message: string): StarRocksMvError => new StarRocksMvError('INVALID_ALTER', `${subject}: ${message}`, { table: subject })

interface State {
  readonly target: QualifiedName
  /** The columns as they stand after the changes so far (names; with definitions when the table is managed). */
  readonly columns: readonly { readonly name: string; readonly column?: TableColumn }[]
  readonly changes: readonly TableAlterChange[]
}

const refusal = (what: string): never => {
  throw new StarRocksMvError('INVALID_ALTER', `${what} of a table cannot be altered: create the table under a new name, copy the data, SWAP WITH the old one and drop it; or drop and re-create it.`)
}

class TableAlterImpl {
  readonly #s: State
  constructor(s: State) {
    this.#s = Object.freeze(s)
    Object.freeze(this)
  }
  get target(): QualifiedName {
    return this.#s.target
  }
  get changes(): readonly TableAlterChange[] {
    return this.#s.changes
  }
  get #subject(): string {
    return QualifiedName.key(this.#s.target)
  }
  #find(name: unknown, what: string): { readonly name: string; readonly column?: TableColumn } {
    if (typeof name !== 'string') throw invalid(this.#subject, `${what} takes a column name, got ${describe(name)}.`)
    const c = this.#s.columns.find((x) => x.name.toLowerCase() === name.toLowerCase())
    if (c === undefined) throw invalid(this.#subject, `${what}: the table has no column "${name}".`)
    return c
  }
  #with(change: TableAlterChange, columns: State['columns'] = this.#s.columns, target: QualifiedName = this.#s.target): TableAlterImpl {
    return new TableAlterImpl({ target, columns, changes: [...this.#s.changes, change] })
  }
  addColumn(name: string, input: unknown, position?: { readonly after: string } | { readonly first: true }): TableAlterImpl {
    if (this.#s.columns.some((x) => x.name.toLowerCase() === String(name).toLowerCase())) throw invalid(this.#subject, `.addColumn(): the table already has a column "${String(name)}".`)
    const column = toColumn(this.#subject, name, input)
    const after = position === undefined ? this.#s.columns.at(-1)?.name : 'after' in position ? this.#find(position.after, '.addColumn() after').name : undefined
    const i = after === undefined ? 0 : this.#s.columns.findIndex((x) => x.name === after) + 1
    const columns = [...this.#s.columns.slice(0, i), { name, column }, ...this.#s.columns.slice(i)]
    return this.#with({ kind: 'addColumn', column, ...(after === undefined ? {} : { after }) }, columns)
  }
  dropColumn(name: string): TableAlterImpl {
    const c = this.#find(name, '.dropColumn()')
    const i = this.#s.columns.indexOf(c)
    const prev = this.#s.columns[i - 1]
    const previous = c.column === undefined ? undefined : prev === undefined ? { column: c.column } : { column: c.column, after: prev.name }
    return this.#with({ kind: 'dropColumn', name: c.name, ...(previous === undefined ? {} : { previous }) }, this.#s.columns.filter((x) => x !== c))
  }
  modifyColumn(name: string, input: unknown): TableAlterImpl {
    const c = this.#find(name, '.modifyColumn()')
    const column = toColumn(this.#subject, c.name, input)
    return this.#with({ kind: 'modifyColumn', column, ...(c.column === undefined ? {} : { previous: c.column }) }, this.#s.columns.map((x) => (x === c ? { name: c.name, column } : x)))
  }
  set(properties: Readonly<Record<string, unknown>>): TableAlterImpl {
    const props = tableProperties(this.#subject, properties, undefined)
    if (Object.keys(props).length === 0) throw invalid(this.#subject, '.set() needs at least one property.')
    let next: TableAlterImpl = this
    for (const [key, value] of Object.entries(props)) {
      if (!isAlterableTableProperty(key)) throw invalid(this.#subject, `the table property "${key}" can only be set when the table is created: rebuild the table to change it.`)
      next = next.#with({ kind: 'setProperty', key, value })
    }
    return next
  }
  comment(text: string): TableAlterImpl {
    if (typeof text !== 'string') throw invalid(this.#subject, `.comment() takes a string, got ${describe(text)}.`)
    return this.#with({ kind: 'comment', comment: text })
  }
  rename(newName: string): TableAlterImpl {
    if (typeof newName !== 'string' || newName.length === 0) throw invalid(this.#subject, `.rename() takes the new table name, got ${describe(newName)}.`)
    return this.#with({ kind: 'rename', newName }, this.#s.columns, this.#s.target)
  }
  orderBy(...columns: readonly string[]): TableAlterImpl {
    if (columns.length === 0) throw invalid(this.#subject, '.orderBy() needs at least one column.')
    return this.#with({ kind: 'orderBy', columns: columns.map((c) => this.#find(c, '.orderBy()').name) })
  }
  get distributedBy(): { hash: (c: string | readonly string[], o?: { buckets?: number }) => TableAlterImpl; random: (o?: { buckets?: number }) => TableAlterImpl } {
    const buckets = (o?: { buckets?: number }): { buckets?: number } => {
      if (o?.buckets === undefined) return {}
      if (!Number.isInteger(o.buckets) || o.buckets <= 0) throw invalid(this.#subject, `BUCKETS must be a whole number greater than 0, got ${describe(o.buckets)}.`)
      return { buckets: o.buckets }
    }
    return Object.freeze({
      hash: (c: string | readonly string[], o?: { buckets?: number }) =>
        this.#with({ kind: 'distribution', distribution: { kind: 'hash', columns: (Array.isArray(c) ? (c as readonly string[]) : [c as string]).map((x) => this.#find(x, '.distributedBy.hash()').name), ...buckets(o) } }),
      random: (o?: { buckets?: number }) => this.#with({ kind: 'distribution', distribution: { kind: 'random', ...buckets(o) } }),
    })
  }
  get primaryKey(): never {
    return refusal('The key model and key columns')
  }
  get duplicateKey(): never {
    return refusal('The key model and key columns')
  }
  get aggregateKey(): never {
    return refusal('The key model and key columns')
  }
  get uniqueKey(): never {
    return refusal('The key model and key columns')
  }
  get partitionBy(): never {
    return refusal('The partition scheme')
  }
  toStatements(options?: { readonly version?: string }): string[] {
    return renderAlterTableStatements(this.#s.target, this.#s.changes, options)
  }
}

/**
 * Start the legal ALTERs of a table (`table(...)`, managed or not): ADD / DROP / MODIFY COLUMN typed
 * against its columns, SET alterable properties, COMMENT, RENAME, ORDER BY and DISTRIBUTED BY. The key
 * model, the partition scheme and create-only properties are compile errors that say why and the way
 * out. With a managed table, drops and modifications record the previous column, so they reverse.
 *
 * @example
 * ```ts
 * op.alterTable(alterTable(orders).addColumn('channel', 'VARCHAR(20)', { after: 'status' }).set({ replication_num: 3 }))
 * ```
 */
export const alterTable = <Name extends string, Columns extends Record<string, string>>(t: Table<Name, Columns>): TableAlter<keyof Columns & string> => {
  const info = (t as unknown as Record<symbol, unknown>)[tableInfo] as { name: string; schema?: string; columns: Record<string, string> } | undefined
  if (info === undefined) throw new StarRocksMvError('INVALID_ALTER', `alterTable() takes a table(...) reference, got ${describe(t)}.`)
  const def: TableDefinition | undefined = isManagedTable(t) ? t[tableDefinition] : undefined
  const columns = def !== undefined ? def.columns.map((c) => ({ name: c.name, column: c })) : Object.keys(info.columns).map((name) => ({ name }))
  return new TableAlterImpl({ target: QualifiedName.create(info.name, info.schema), columns, changes: [] }) as unknown as TableAlter<keyof Columns & string>
}
