import { StarRocksMvError } from '../errors.js'
import { atLeast, MV_COLUMN_ALTER_SINCE, MV_ORDER_BY_ALTER_SINCE, parseVersion, QualifiedName, type AlterChange, type MvDefinition, type Version } from '../model/index.js'
import { checkMvName, isAlterableProperty, propertySpec, renderAlterStatements, type RenderOptions } from '../render/index.js'
import { describe, isSql, type Sql } from '../sql/index.js'
import { isMvBuilder, toDefinition } from './mv.js'
import { propertiesText } from './property-input.js'
import { asyncRefresh, manualRefresh } from './refresh-spec.js'
import type {
  AddColumnOptions,
  AlterAsyncRefreshOptions,
  AlterManualRefreshOptions,
  AlterOptions,
  MvAlter,
  MvAlterFor,
} from './types/alter-builder.js'
import type { MaterializedView } from './types/mv-builder.js'
import type { AlterableProperties, AlterPropertyEscapeHatch } from './types/properties.js'

const WAY_OUT = 'rebuild it (drop + create, or build a new MV and SWAP WITH it).'

/** The run-time side of the members `MvAlter` refuses at compile time. */
const REFUSED: Readonly<Record<string, string>> = {
  as: `The query of a materialized view cannot be altered: ${WAY_OUT}`,
  columns: `The column list of a materialized view cannot be altered: ${WAY_OUT}`,
  comment: `The COMMENT of a materialized view cannot be altered: ${WAY_OUT}`,
  partitionBy: `PARTITION BY of a materialized view cannot be altered: ${WAY_OUT}`,
  distributedBy: `DISTRIBUTED BY (and BUCKETS) of a materialized view cannot be altered: ${WAY_OUT}`,
  orderBy: `ORDER BY of a materialized view cannot be altered: ${WAY_OUT}`,
  properties:
    'ALTER takes properties through .set({...}) (alterable properties only); create-only properties need a rebuild (drop + create, or a new MV and SWAP WITH).',
  sync: `Whether a materialized view is synchronous cannot be altered: ${WAY_OUT}`,
}

/** The members only a 4.2+ builder has, refused (with why) on others. */
const REFUSED_BEFORE_42: Readonly<Record<string, string>> = {
  addColumn: `ADD COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WAY_OUT}`,
  dropColumn: `DROP COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WAY_OUT}`,
}

const refusedMember = (subject: string, member: string, message: string): (() => never) => {
  const fail = (): never => {
    throw new StarRocksMvError('IMMUTABLE_ATTRIBUTE', `${subject}: ${message}`, { mv: subject, attribute: member })
  }
  const f = (() => fail()) as (() => never) & Record<string, unknown>
  if (member === 'distributedBy') {
    f.hash = fail
    f.random = fail
  }
  return Object.freeze(f)
}

const escapeExample = ".set({}, { unknown: { KEY: '...' } })"

class AlterBuilderImpl {
  readonly #target: QualifiedName
  readonly #source: MvDefinition | undefined
  readonly #changes: readonly AlterChange[]
  readonly #version: Version | undefined

  constructor(target: QualifiedName, source: MvDefinition | undefined, changes: readonly AlterChange[], version: Version | undefined) {
    this.#target = target
    this.#source = source
    this.#changes = Object.freeze(changes)
    this.#version = version
    const subject = QualifiedName.key(target)
    const evolves = version !== undefined && atLeast(version, MV_COLUMN_ALTER_SINCE)
    const sortable = version !== undefined && atLeast(version, MV_ORDER_BY_ALTER_SINCE)
    for (const [member, message] of Object.entries(REFUSED)) {
      if (member === 'orderBy' && sortable) continue
      Object.defineProperty(this, member, { value: refusedMember(subject, member, message), enumerable: false })
    }
    if (!evolves) {
      for (const [member, message] of Object.entries(REFUSED_BEFORE_42)) {
        Object.defineProperty(this, member, { value: refusedMember(subject, member, message), enumerable: false })
      }
    }
    Object.freeze(this)
  }

  get #subject(): string {
    return QualifiedName.key(this.#target)
  }

  #add(change: AlterChange): AlterBuilderImpl {
    return new AlterBuilderImpl(this.#target, this.#source, [...this.#changes, Object.freeze(change)], this.#version)
  }

  get target(): QualifiedName {
    return this.#target
  }

  get changes(): readonly AlterChange[] {
    return this.#changes
  }

  get refresh(): { async: (o?: AlterAsyncRefreshOptions) => AlterBuilderImpl; manual: (o?: AlterManualRefreshOptions) => AlterBuilderImpl } {
    const previous = this.#source?.refresh
    const withPrevious = previous === undefined ? {} : { previous }
    return Object.freeze({
      async: (options: AlterAsyncRefreshOptions = {}): AlterBuilderImpl =>
        this.#add({ kind: 'refresh', refresh: asyncRefresh(options, this.#subject, false), ...withPrevious }),
      manual: (options: AlterManualRefreshOptions = {}): AlterBuilderImpl =>
        this.#add({ kind: 'refresh', refresh: manualRefresh(options, this.#subject, false), ...withPrevious }),
    })
  }

  set(properties: AlterableProperties, escape?: AlterPropertyEscapeHatch): AlterBuilderImpl {
    const subject = this.#subject
    const values = propertiesText(properties, escape?.unknown, subject, escapeExample, 'INVALID_ALTER')
    const keys = Object.keys(values)
    if (keys.length === 0) {
      throw new StarRocksMvError('INVALID_ALTER', `${subject}: .set() needs at least one property.`, { mv: subject })
    }
    const unknownKeys = new Set(Object.keys(escape?.unknown ?? {}))
    for (const key of keys) {
      const allowed = isAlterableProperty(key, this.#source) || (this.#source === undefined && unknownKeys.has(key) && !isKnownCreateOnly(key))
      if (!allowed) {
        throw new StarRocksMvError(
          'NOT_ALTERABLE',
          `${subject}: property "${key}" is create-only: ALTER MATERIALIZED VIEW ... SET cannot change it. ` +
            'Rebuild the MV (drop + create, or build a new MV and SWAP WITH it)' +
            (unknownKeys.has(key) ? `, or declare it alterable on the MV: .properties({}, { unknown: { ${key}: '...' }, alterable: ['${key}'] }).` : '.'),
          { mv: subject, property: key },
        )
      }
    }
    const source = this.#source
    const change: AlterChange =
      source === undefined
        ? { kind: 'set', properties: Object.freeze(values) }
        : {
            kind: 'set',
            properties: Object.freeze(values),
            previous: Object.freeze(Object.fromEntries(keys.map((k) => [k, source.properties[k] ?? null]))),
          }
    return this.#add(change)
  }

  rename(newName: string): AlterBuilderImpl {
    checkMvName(newName, 'the new name', this.#subject)
    return this.#add({ kind: 'rename', newName })
  }

  active(): AlterBuilderImpl {
    return this.#add({ kind: 'active' })
  }

  inactive(): AlterBuilderImpl {
    return this.#add({ kind: 'inactive' })
  }

  swapWith(other: MaterializedView | string): AlterBuilderImpl {
    const subject = this.#subject
    let name: string
    if (typeof other === 'string') {
      name = other
    } else if (isMvBuilder(other)) {
      const q = other.qualifiedName
      if (q.schema !== undefined && this.#target.schema !== undefined && q.schema !== this.#target.schema) {
        throw new StarRocksMvError(
          'INVALID_ALTER',
          `${subject}: SWAP WITH takes an MV of the same database, but ${QualifiedName.key(q)} is in ${q.schema}.`,
          { mv: subject, other: QualifiedName.key(q) },
        )
      }
      name = q.name
    } else {
      throw new StarRocksMvError('INVALID_ALTER', `${subject}: .swapWith() takes an MV or its name, got ${describe(other)}.`, { mv: subject })
    }
    checkMvName(name, 'the MV to swap with', subject)
    return this.#add({ kind: 'swap', other: name })
  }

  /** `ADD COLUMN name AS <expression>` (4.2+ builders; others refuse it, see the constructor). */
  addColumn(name: string, expression: Sql | string, options: AddColumnOptions = {}): AlterBuilderImpl {
    const subject = this.#subject
    if (typeof name !== 'string' || name.trim() === '') throw new StarRocksMvError('INVALID_ALTER', `${subject}: .addColumn() needs a column name.`, { mv: subject })
    const text = typeof expression === 'string' ? expression : isSql(expression) ? expression.toSQL() : undefined
    if (text === undefined || text.trim() === '') {
      throw new StarRocksMvError('INVALID_ALTER', `${subject}: .addColumn('${name}', ...) needs an expression: a sql fragment or a string such as 'sum(amount)'.`, { mv: subject, column: name })
    }
    const taken = this.#source?.columns?.some((c) => c.name.toLowerCase() === name.toLowerCase()) ?? false
    if (taken) throw new StarRocksMvError('INVALID_ALTER', `${subject}: .addColumn(): the MV already has a column "${name}".`, { mv: subject, column: name })
    return this.#add({ kind: 'addColumn', name, expression: text.trim(), ...(options.comment === undefined ? {} : { comment: options.comment }) })
  }

  /** `DROP COLUMN name` (4.2+ builders). */
  dropColumn(name: string): AlterBuilderImpl {
    const subject = this.#subject
    if (typeof name !== 'string' || name.trim() === '') throw new StarRocksMvError('INVALID_ALTER', `${subject}: .dropColumn() needs a column name.`, { mv: subject })
    const columns = this.#source?.columns
    if (columns !== undefined && !columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
      throw new StarRocksMvError('INVALID_ALTER', `${subject}: .dropColumn(): the MV has no column "${name}" (it has ${columns.map((c) => c.name).join(', ')}).`, { mv: subject, column: name })
    }
    return this.#add({ kind: 'dropColumn', name })
  }

  /** `ORDER BY (cols)` (4.2+ builders). */
  orderBy(...columns: readonly string[]): AlterBuilderImpl {
    const subject = this.#subject
    if (columns.length === 0) throw new StarRocksMvError('INVALID_ALTER', `${subject}: .orderBy() needs at least one column.`, { mv: subject })
    const previous = this.#source?.orderBy
    return this.#add({ kind: 'orderBy', columns: [...columns], ...(previous === undefined ? {} : { previous: [...previous] }) })
  }

  toStatements(options?: RenderOptions): string[] {
    return renderAlterStatements(this.#target, this.#changes, options?.version === undefined && this.#version !== undefined ? { ...options, version: this.#version } : options)
  }
}

const isKnownCreateOnly = (key: string): boolean => propertySpec(key) !== undefined && !isAlterableProperty(key)

/** What `alter()` takes: a complete MV, its definition, `{ schema?, name }`, or `'db.name'` / `'name'`. */
export type AlterTarget = MaterializedView | MvDefinition | QualifiedName | string

const resolve = (target: AlterTarget): { target: QualifiedName; source: MvDefinition | undefined } => {
  const x: unknown = target
  if (isMvBuilder(x) || (x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'MvDefinition')) {
    const def = toDefinition(x as MaterializedView | MvDefinition)
    return { target: QualifiedName.create(def.name, def.schema), source: def }
  }
  if (typeof x === 'string') {
    const dot = x.indexOf('.')
    const [schema, name] = dot < 0 ? [undefined, x] : [x.slice(0, dot), x.slice(dot + 1)]
    if (schema === '') throw new StarRocksMvError('INVALID_ALTER', `alter(): "${x}" has an empty database name; write "db.name" or "name".`, { target: x })
    checkMvName(name, 'the MV name', x)
    return { target: QualifiedName.create(name, schema), source: undefined }
  }
  if (x !== null && typeof x === 'object' && typeof (x as QualifiedName).name === 'string') {
    const q = x as QualifiedName
    checkMvName(q.name)
    return { target: QualifiedName.create(q.name, q.schema), source: undefined }
  }
  throw new StarRocksMvError('INVALID_ALTER', `alter() takes an MV, its definition, { schema?, name } or "db.name", got ${describe(x)}.`)
}

/**
 * Start an `ALTER MATERIALIZED VIEW`: only what StarRocks can change (refresh, alterable properties,
 * rename, active, inactive, swap). The immutable attributes are compile errors that say how to
 * rebuild instead. `.toStatements()` gives one statement per change; `.target` and `.changes` are the
 * plain data `op.alterMaterializedView(...)` reads.
 *
 * Given an MV (rather than a name), the changes record the previous refresh and property values,
 * and `.set()` also accepts the properties that MV declared alterable.
 *
 * @example
 * ```ts
 * alter(dailySales).refresh.async({ every: '1 HOUR' }).set({ partition_ttl_number: 30 }).toStatements()
 * // ['ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH ASYNC EVERY (INTERVAL 1 HOUR)',
 * //  'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("partition_ttl_number" = "30")']
 * ```
 */
export function alter(mvOrQualifiedName: AlterTarget): MvAlter
/**
 * The alter builder for a given StarRocks version: from `'4.2'` on it also offers `.addColumn()`,
 * `.dropColumn()` and `.orderBy()` (a version literal below 4.2, or a `string` whose value is
 * unknown at compile time, gives the plain {@link MvAlter}, which refuses them).
 *
 * @example
 * ```ts
 * alter(dailySales, { version: '4.2' }).addColumn('orders', sql`count(${orders.id})`).toStatements()
 * // ['ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` ADD COLUMN `orders` AS count(`orders`.`id`)']
 * ```
 */
export function alter<const V extends string>(mvOrQualifiedName: AlterTarget, options: AlterOptions<V>): MvAlterFor<V>
export function alter(mvOrQualifiedName: AlterTarget, options?: AlterOptions): unknown {
  const { target, source } = resolve(mvOrQualifiedName)
  const version = options?.version === undefined ? undefined : parseVersion(options.version)
  return new AlterBuilderImpl(target, source, [], version)
}

/** True for an `alter(...)` builder. */
export const isAlterBuilder = (x: unknown): x is MvAlter => x instanceof AlterBuilderImpl
