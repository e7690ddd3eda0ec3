import type { AlterChange, QualifiedName } from '../../model/index.js'
import type { RenderOptions } from '../../render/index.js'
import type { Sql } from '../../sql/index.js'
import type {
  AlterAddColumnMessage,
  AlterColumnsMessage,
  AlterDropColumnMessage,
  AlterCommentMessage,
  AlterDistributedByMessage,
  AlterMomentMessage,
  AlterOrderByMessage,
  AlterPartitionByMessage,
  AlterPropertiesMessage,
  AlterQueryMessage,
  AlterSyncMessage,
} from './alter-refusals.js'
import type { IntervalInput } from './interval.js'
import type { MaterializedView } from './mv-builder.js'
import type { AlterableProperties, AlterPropertyEscapeHatch } from './properties.js'
import type { Refusal } from './refusal.js'
import type { StartTime } from './start-time.js'

/** Options of `alter(...).refresh.async(...)`: a new scheme, no moment. */
export interface AlterAsyncRefreshOptions {
  readonly start?: StartTime
  readonly every?: IntervalInput
  /** Refused: the moment exists only at creation. */
  readonly deferred?: AlterMomentMessage
}

/** Options of `alter(...).refresh.manual(...)`. */
export interface AlterManualRefreshOptions {
  /** Refused: the moment exists only at creation. */
  readonly deferred?: AlterMomentMessage
}

/** `alter(...).refresh.async(...)` / `.manual()`: `ALTER ... REFRESH <scheme>`. */
export interface AlterRefreshChain<Self = MvAlter> {
  async(options?: AlterAsyncRefreshOptions): Self
  manual(options?: AlterManualRefreshOptions): Self
}

/** Digits, for reading version literals at the type level. */
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'
type VersionSeparator = '.' | '-' | '+' | '_' | ' '

/**
 * `true` when the version literal `V` is StarRocks 4.2 or newer (`'4.2'`, `'4.2.1'`, `'4.10'`,
 * `'26.2.0-ee'`, `'main-…'`); `false` for older ones and for a plain `string` (unknown at compile time).
 */
export type VersionAtLeast42<V extends string> = string extends V
  ? false
  : V extends `v${infer R}`
    ? VersionAtLeast42<R>
    : V extends `main${string}`
      ? true
      : V extends `${Digit}${Digit}${string}`
        ? true
        : V extends `${'5' | '6' | '7' | '8' | '9'}${string}`
          ? true
          : V extends `4.${'0' | '1'}` | `4.${'0' | '1'}${VersionSeparator}${string}`
            ? false
            : V extends `4.${Digit}${string}`
              ? true
              : false

/** Options of `alter(mv, options)`. */
export interface AlterOptions<V extends string = string> {
  /**
   * The StarRocks version the alter targets. From `'4.2'` on, the builder offers `.addColumn()`,
   * `.dropColumn()` and `.orderBy()`; `.toStatements()` renders for it unless told otherwise.
   */
  readonly version: V
}

/** What `alter(mv, { version })` returns: the 4.2+ builder for a 4.2+ literal, else {@link MvAlter}. */
export type MvAlterFor<V extends string> = VersionAtLeast42<V> extends true ? MvAlter42 : MvAlter

/** What every alter builder offers, `Self` being the builder type the chain continues with. */
interface MvAlterCommon<Self> {
  /** The MV the statements address. */
  readonly target: QualifiedName
  /** The accumulated changes, in order (plain frozen data). */
  readonly changes: readonly AlterChange[]
  /** `REFRESH <scheme>`. */
  readonly refresh: AlterRefreshChain<Self>
  /** `SET ("k" = "v", ...)`: alterable properties and `session.*`; unknown ones through `escape`. */
  set(properties: AlterableProperties, escape?: AlterPropertyEscapeHatch): Self
  /**
   * `RENAME new_name`; later changes address the new name. The grammar takes an unqualified name: the MV
   * stays in its database, and a name with a dot is one name (`'a.b'` renders `` `a.b` ``), never a database.
   */
  rename(newName: string): Self
  /** `ACTIVE` (3.1+): re-analyses the query. */
  active(): Self
  /** `INACTIVE` (3.1+). */
  inactive(): Self
  /**
   * `SWAP WITH other` (3.1+): another MV of the same database. The grammar takes an unqualified name; an MV
   * of another database is refused, and a string with a dot is one name, never a database.
   */
  swapWith(other: MaterializedView | string): Self
  /** One `ALTER MATERIALIZED VIEW` statement per change (rendered for the builder's version unless `options.version` says otherwise). */
  toStatements(options?: RenderOptions): string[]

  /** @deprecated The query of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly as: Refusal<AlterQueryMessage>
  /** @deprecated The column list of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly columns: Refusal<AlterColumnsMessage>
  /** @deprecated The COMMENT of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly comment: Refusal<AlterCommentMessage>
  /** @deprecated PARTITION BY of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly partitionBy: Refusal<AlterPartitionByMessage>
  /** @deprecated DISTRIBUTED BY (and BUCKETS) of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly distributedBy: Refusal<AlterDistributedByMessage>
  /** @deprecated ALTER takes properties through .set({...}) (alterable properties only); create-only properties need a rebuild. */
  readonly properties: Refusal<AlterPropertiesMessage>
  /** @deprecated Whether a materialized view is synchronous cannot be altered: rebuild it. */
  readonly sync: Refusal<AlterSyncMessage>
}

/** Options of `.addColumn(name, expression, options)`. */
export interface AddColumnOptions {
  /** The column's COMMENT. */
  readonly comment?: string
}

/**
 * The alter builder for StarRocks 4.2 and newer (`alter(mv, { version: '4.2' })`): everything
 * {@link MvAlter} offers, plus the MV schema changes 4.2 brought.
 */
export interface MvAlter42 extends MvAlterCommon<MvAlter42> {
  /**
   * `ADD COLUMN name AS <expression> [COMMENT '...']`: StarRocks appends `expression AS name` to
   * the query's select list and the column to the end. StarRocks takes it on an MV over one table
   * whose query is a plain SELECT; the expression references exactly one column; an aggregate call
   * needs an MV with GROUP BY.
   */
  addColumn(name: string, expression: Sql | string, options?: AddColumnOptions): MvAlter42
  /** `DROP COLUMN name`: removes the column and its select-list item (not a GROUP BY column). */
  dropColumn(name: string): MvAlter42
  /** `ORDER BY (cols)`: a new sort key; StarRocks takes it on range-distributed MVs of shared-data clusters only. */
  orderBy(...columns: readonly [string, ...string[]]): MvAlter42
}

/**
 * The changes StarRocks can make to an existing MV, one statement each. The immutable attributes
 * are present but refused at compile time (and throw at run time). For StarRocks 4.2+, build
 * the alter with `alter(mv, { version: '4.2' })` to get {@link MvAlter42}.
 */
export interface MvAlter extends MvAlterCommon<MvAlter> {
  /** @deprecated ORDER BY of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly orderBy: Refusal<AlterOrderByMessage>
  /** @deprecated ADD COLUMN needs StarRocks 4.2+: alter(mv, { version: '4.2' }), or rebuild the MV. */
  readonly addColumn: Refusal<AlterAddColumnMessage>
  /** @deprecated DROP COLUMN needs StarRocks 4.2+: alter(mv, { version: '4.2' }), or rebuild the MV. */
  readonly dropColumn: Refusal<AlterDropColumnMessage>
}
