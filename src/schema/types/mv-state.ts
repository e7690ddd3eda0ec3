import type { RebuildStrategy } from '../../model/index.js'
import type { Sql } from '../../sql/index.js'

/**
 * What the type checker knows about an MV's immutable attributes: the literal types of the
 * arguments the user wrote, as an intersection with one member per builder call (each call adds a
 * member instead of rebuilding the state, and nothing is computed until `defineSchema` compares the
 * MV with a deployed one). An attribute not set is absent; an attribute set twice on one chain
 * reads as `never`, and an argument the type checker cannot see (a `string` variable) as its wide
 * type: neither is ever reported as a change.
 */
export interface MvState {
  readonly name?: string
  readonly schema?: string
  /** The arguments of `.columns(...)`. */
  readonly columns?: readonly unknown[]
  readonly comment?: string
  /** The arguments of `.partitionBy(...)`. */
  readonly partitionBy?: readonly unknown[]
  /** `['hash', columns]` or `['random']`. */
  readonly distribution?: readonly unknown[]
  /** The `buckets` option of `.distributedBy`, `undefined` without one. */
  readonly buckets?: number | undefined
  /** The arguments of `.orderBy(...)`. */
  readonly orderBy?: readonly unknown[]
  readonly sync?: 'sync'
  /** The argument of `.properties(...)` (an intersection of them when called again). */
  readonly properties?: object
  /** The `.renamedFrom()` hint. */
  readonly renamedFrom?: string
  /** The `.rebuild()` acknowledgement. */
  readonly rebuild?: RebuildStrategy
}

/*
 * One object type per attribute: the state is an intersection of their instantiations. An
 * instantiation with literal arguments holds no type variables, so the type checker does not walk
 * into it again when it instantiates a type that mentions it. Object type aliases rather than
 * interfaces: an interface has a `this` type, which an intersection binds to itself, so every
 * state would have the members of each attribute instantiated anew when `defineSchema` compares it.
 */

/** The state of `mv(name)`: only the name. */
export type InitialMvState<Name extends string> = {
  readonly name: Name
}
/** `.schema(db)`. */
export type SchemaAttr<D extends string> = {
  readonly schema: D
}
/** `.columns(...)`. */
export type ColumnsAttr<C extends readonly unknown[]> = {
  readonly columns: C
}
/** `.comment(text)`. */
export type CommentAttr<C extends string> = {
  readonly comment: C
}
/** `.partitionBy(...)`. */
export type PartitionByAttr<E extends readonly unknown[]> = {
  readonly partitionBy: E
}
/** `.distributedBy.hash(columns, { buckets })`. */
export type HashAttr<C, B> = {
  readonly distribution: readonly ['hash', C]
  readonly buckets: B
}
/** `.distributedBy.random({ buckets })`. */
export type RandomAttr<B> = {
  readonly distribution: readonly ['random']
  readonly buckets: B
}
/** `.orderBy(...)`. */
export type OrderByAttr<C extends readonly unknown[]> = {
  readonly orderBy: C
}
/** `.sync()`. */
export type SyncAttr = {
  readonly sync: 'sync'
}
/** `.properties({...})`. */
export type PropertiesAttr<P> = {
  readonly properties: P
}
/** `.renamedFrom(old)`. */
export type RenamedFromAttr<O extends string> = {
  readonly renamedFrom: O
}
/** `.rebuild(strategy)`. */
export type RebuildAttr<R extends RebuildStrategy> = {
  readonly rebuild: R
}

// ---------------------------------------------------------------------------------------------
// Text forms: how `defineSchema` shows and compares an attribute once a quick structural match
// with the deployed MV failed. They follow the differ's comparison: identifiers lower-cased, an
// empty comment is none, the default distribution is RANDOM.

/** An identifier as the differ compares it (lower-cased); `string` when not a literal. */
type Identifier<N> = N extends string ? (string extends N ? string : Lowercase<N>) : string

/** The name of a column reference: a string or a typed table column. */
type ColumnRefText<C> = C extends string ? Identifier<C> : C extends { readonly columnName: infer N } ? Identifier<N> : string

/** One entry of PARTITION BY: a column is known, a `sql` expression is not. */
type PartitionEntryText<E> = E extends Sql ? string : ColumnRefText<E>

/** One entry of the column list: a name, a typed column, or `{ name, comment }`. */
type ColumnEntryText<C> = C extends string
  ? Identifier<C>
  : C extends { readonly columnName: infer N }
    ? Identifier<N>
    : C extends { readonly name: infer N; readonly comment: infer M }
      ? M extends string
        ? string extends M
          ? `${Identifier<N>}${string}`
          : M extends ''
            ? Identifier<N>
            : `${Identifier<N>} COMMENT '${M}'`
        : Identifier<N>
      : C extends { readonly name: infer N }
        ? Identifier<N>
        : string

type JoinColumns<L> = L extends readonly [infer H, ...infer R] ? (R extends readonly [] ? ColumnEntryText<H> : `${ColumnEntryText<H>}, ${JoinColumns<R>}`) : string
type JoinPartition<L> = L extends readonly [infer H, ...infer R] ? (R extends readonly [] ? PartitionEntryText<H> : `${PartitionEntryText<H>}, ${JoinPartition<R>}`) : string
type JoinRefs<L> = L extends readonly [infer H, ...infer R] ? (R extends readonly [] ? ColumnRefText<H> : `${ColumnRefText<H>}, ${JoinRefs<R>}`) : string

/** `.columns(...)` as text. */
export type ColumnsText<C> = `(${JoinColumns<C>})`

/** `.comment(text)` as text (an empty comment is none, as the differ sees it). */
export type CommentText<C> = C extends string ? (string extends C ? string : C extends '' ? 'none' : `'${C}'`) : string

/** `.partitionBy(...)` as text. */
export type PartitionText<E> = `(${JoinPartition<E>})`

/** `.orderBy(...)` as text. */
export type OrderByText<C> = `(${JoinRefs<C>})`

/** `DISTRIBUTED BY` as text: `HASH(a, b)` or `RANDOM`. */
export type DistributionText<D> = D extends readonly ['hash', infer C]
  ? `HASH(${C extends readonly unknown[] ? JoinRefs<C> : ColumnRefText<C>})`
  : D extends readonly ['random']
    ? 'RANDOM'
    : string

/** `BUCKETS n` as text: `'auto'` without it. */
export type BucketsText<B> = B extends undefined ? 'auto' : B extends number ? (number extends B ? string : `${B}`) : string
