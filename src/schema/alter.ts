import { StarRocksMvError } from '../errors.js'
import { QualifiedName, type AlterChange, type MvDefinition } from '../model/index.js'
import { checkMvName, isAlterableProperty, propertySpec, renderAlterStatements, type RenderOptions } from '../render/index.js'
import { describe } from '../sql/index.js'
import { isMvBuilder, toDefinition } from './mv.js'
import { propertiesText } from './property-input.js'
import { asyncRefresh, manualRefresh } from './refresh-spec.js'
import type {
  AlterAsyncRefreshOptions,
  AlterManualRefreshOptions,
  MvAlter,
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

  constructor(target: QualifiedName, source: MvDefinition | undefined, changes: readonly AlterChange[]) {
    this.#target = target
    this.#source = source
    this.#changes = Object.freeze(changes)
    const subject = QualifiedName.key(target)
    for (const [member, message] of Object.entries(REFUSED)) {
      Object.defineProperty(this, member, { value: refusedMember(subject, member, message), enumerable: false })
    }
    Object.freeze(this)
  }

  get #subject(): string {
    return QualifiedName.key(this.#target)
  }

  #add(change: AlterChange): AlterBuilderImpl {
    return new AlterBuilderImpl(this.#target, this.#source, [...this.#changes, Object.freeze(change)])
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

  toStatements(options?: RenderOptions): string[] {
    return renderAlterStatements(this.#target, this.#changes, options)
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
export const alter = (mvOrQualifiedName: AlterTarget): MvAlter => {
  const { target, source } = resolve(mvOrQualifiedName)
  return new AlterBuilderImpl(target, source, []) as unknown as MvAlter
}

/** True for an `alter(...)` builder. */
export const isAlterBuilder = (x: unknown): x is MvAlter => x instanceof AlterBuilderImpl
