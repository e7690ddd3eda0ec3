import { StarRocksMvError } from '../errors.js'
import { QualifiedName, TableDefinition, type TableAlterChange, type TableColumn } from '../model/index.js'
import { isAlterableTableProperty, renderAlterTableStatements } from '../render/index.js'
import { describe, tableInfo, type Table } from '../sql/index.js'
import { buildTableDefinition, isManagedTable, tableDefinition, tableProperties, toColumn } from './table.js'
import type { TableAlter } from './types/table-alter.js'

const invalid = (subject: string, message: string): StarRocksMvError => new StarRocksMvError('INVALID_ALTER', `${subject}: ${message}`, { table: subject })

interface State {
  readonly target: QualifiedName
  /** The managed table's definition, when known: drops of partitions and indexes record what they drop. */
  readonly def?: TableDefinition
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
    return new TableAlterImpl({ target, columns, changes: [...this.#s.changes, change], ...(this.#s.def === undefined ? {} : { def: this.#s.def }) })
  }
  /** A one-column scratch definition that reads a partition or an index through the same checks as table(). */
  #scratch(options: Record<string, unknown>): TableDefinition {
    const columns = Object.fromEntries(this.#s.columns.map((c) => [c.name, c.column === undefined ? 'VARCHAR(65533)' : { type: c.column.type }]))
    return buildTableDefinition(this.#s.target.name, columns, { ...(this.#s.target.schema === undefined ? {} : { schema: this.#s.target.schema }), ...options })
  }
  addPartition(partition: unknown): TableAlterImpl {
    const list = partition !== null && typeof partition === 'object' && 'values' in partition
    const known = this.#s.def?.partitionBy
    const first = list ? (partition as { values?: unknown }).values : undefined
    const width = Array.isArray(first) && Array.isArray(first[0]) ? (first[0] as unknown[]).length : 1
    const columns = known !== undefined && known.kind !== 'expression' ? known.columns : this.#s.columns.slice(0, width).map((c) => c.name)
    const p = this.#scratch({ partitionBy: list ? { list: columns, partitions: [partition] } : { range: columns, partitions: [partition] } }).partitionBy
    if (p === undefined || p.kind === 'expression' || p.partitions[0] === undefined) throw invalid(this.#subject, '.addPartition() takes { name, lessThan }, { name, lower, upper } or { name, values }.')
    if (known !== undefined && (known.kind === 'expression' || known.kind !== p.kind)) throw invalid(this.#subject, `.addPartition(): the table is not ${list ? 'LIST' : 'RANGE'}-partitioned.`)
    const entry = p.kind === 'list' ? { kind: 'list' as const, partition: p.partitions[0] as (typeof p.partitions)[number] & { values: readonly (readonly string[])[] } } : { kind: 'range' as const, partition: p.partitions[0] }
    return this.#with({ kind: 'addPartition', entry } as TableAlterChange)
  }
  dropPartition(name: string): TableAlterImpl {
    if (typeof name !== 'string' || name.length === 0) throw invalid(this.#subject, `.dropPartition() takes the partition name, got ${describe(name)}.`)
    const p = this.#s.def?.partitionBy
    const found = p !== undefined && p.kind !== 'expression' ? (p.partitions as readonly { name: string }[]).find((x) => x.name.toLowerCase() === name.toLowerCase()) : undefined
    const previous = found === undefined || p === undefined || p.kind === 'expression' ? undefined : ({ kind: p.kind, partition: found } as Extract<TableAlterChange, { kind: 'addPartition' }>['entry'])
    return this.#with({ kind: 'dropPartition', name, ...(previous === undefined ? {} : { previous }) })
  }
  addIndex(index: unknown): TableAlterImpl {
    const ix = this.#scratch({ indexes: [index] }).indexes?.[0]
    if (ix === undefined) throw invalid(this.#subject, '.addIndex() takes { name, columns, using?, properties?, comment? }.')
    return this.#with({ kind: 'addIndex', index: ix })
  }
  dropIndex(name: string): TableAlterImpl {
    if (typeof name !== 'string' || name.length === 0) throw invalid(this.#subject, `.dropIndex() takes the index name, got ${describe(name)}.`)
    const previous = this.#s.def?.indexes?.find((x) => x.name.toLowerCase() === name.toLowerCase())
    return this.#with({ kind: 'dropIndex', name, ...(previous === undefined ? {} : { previous }) })
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
 * against its columns, SET alterable properties, COMMENT, RENAME, ORDER BY, DISTRIBUTED BY, ADD / DROP
 * PARTITION and ADD / DROP INDEX. The key
 * model, the partition scheme and create-only properties are compile errors that say why and the way
 * out. With a managed table, drops and modifications record the previous column, so they reverse.
 *
 * @example
 * ```ts
 * op.alterTable(alterTable(orders).addColumn('channel', 'VARCHAR(20)', { after: 'status' }).set({ replication_num: 3 }))
 * ```
 */
export const alterTable = <Name extends string, Columns extends Record<string, string>>(t: Table<Name, Columns>): TableAlter<keyof Columns & string> => {
  const info = (t as unknown as Record<symbol, unknown>)[tableInfo] as { name: string; catalog?: string; schema?: string; columns: Record<string, string> } | undefined
  if (info === undefined) throw new StarRocksMvError('INVALID_ALTER', `alterTable() takes a table(...) reference, got ${describe(t)}.`)
  if (info.catalog !== undefined) {
    throw new StarRocksMvError('INVALID_ALTER', `alterTable(): '${info.catalog}.${info.schema ?? ''}.${info.name}' is a table of external catalog '${info.catalog}', which StarRocks does not alter from here. Change it in its own system; MVs reading it only need its typed reference.`, { table: info.name, catalog: info.catalog })
  }
  const def: TableDefinition | undefined = isManagedTable(t) ? t[tableDefinition] : undefined
  const columns = def !== undefined ? def.columns.map((c) => ({ name: c.name, column: c })) : Object.keys(info.columns).map((name) => ({ name }))
  return new TableAlterImpl({ target: QualifiedName.create(info.name, info.schema), columns, changes: [], ...(def === undefined ? {} : { def }) }) as unknown as TableAlter<keyof Columns & string>
}
