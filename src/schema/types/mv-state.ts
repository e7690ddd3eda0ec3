import type { RebuildStrategy } from '../../model/index.js'
import type { Sql } from '../../sql/index.js'

/**
 * What the type checker knows about an MV's immutable attributes, as the builder records them from
 * the literals the user writes. Each attribute is text in the form the deployed declaration uses
 * (`migrations/deployed.d.ts`), so that comparing the two is comparing strings:
 *
 * - `columns`, `partitionBy`, `orderBy`: `'none'`, or `'(a, b)'` with identifiers lower-cased;
 *   a column with a comment reads `a COMMENT 'text'`.
 * - `comment`: `'none'` or `"'text'"`.
 * - `distribution`: `'RANDOM'` (also when never set) or `'HASH(a, b)'`; `buckets`: `'auto'` or `'8'`.
 * - `sync`: `'sync'` or `'async'`.
 * - `properties`: the object literals given to `.properties()`.
 *
 * Where the user writes something the type checker cannot see (a variable of type `string`, a `sql`
 * fragment), the text is `string` or a template such as `` `(${string}, b)` ``: it matches any
 * deployed value, so nothing unknown is ever reported as a change.
 */
export interface MvState {
  readonly name: string
  readonly schema: string | undefined
  readonly columns: string
  readonly comment: string
  readonly partitionBy: string
  readonly distribution: string
  readonly buckets: string
  readonly orderBy: string
  readonly sync: 'sync' | 'async'
  readonly properties: object
  /** The `.renamedFrom()` hint. */
  readonly renamedFrom: string | undefined
  /** The `.rebuild()` acknowledgement. */
  readonly rebuild: RebuildStrategy | undefined
}

/** The state of `mv(name)`: nothing set yet. */
export interface InitialMvState<Name extends string> {
  readonly name: Name
  readonly schema: undefined
  readonly columns: 'none'
  readonly comment: 'none'
  readonly partitionBy: 'none'
  readonly distribution: 'RANDOM'
  readonly buckets: 'auto'
  readonly orderBy: 'none'
  readonly sync: 'async'
  readonly properties: {}
  readonly renamedFrom: undefined
  readonly rebuild: undefined
}

/** `S` with attribute `K` replaced by `V`. */
export type PutState<S extends MvState, K extends keyof MvState, V extends MvState[K]> = {
  readonly [P in keyof MvState]: P extends K ? V : S[P]
}

/** A literal as the checker may compare it: `string` when the type checker cannot know it. */
type Known<T extends string> = string extends T ? string : T

/** An identifier as the differ compares it (lower-cased). */
type Identifier<N extends string> = string extends N ? string : Lowercase<N>

/** The name of a column reference: a string or a typed table column. */
type ColumnRefText<C> = C extends string
  ? Identifier<C>
  : C extends { readonly columnName: infer N extends string }
    ? Identifier<N>
    : string

/** One entry of PARTITION BY: a column is known, a `sql` expression is not. */
type PartitionEntryText<E> = E extends Sql ? string : ColumnRefText<E>

/** One entry of the column list. */
type ColumnEntryText<C> = C extends string
  ? Identifier<C>
  : C extends { readonly name: infer N extends string; readonly comment: infer M extends string }
    ? string extends M
      ? `${Identifier<N>}${string}`
      : M extends ''
        ? Identifier<N>
        : `${Identifier<N>} COMMENT '${M}'`
    : C extends { readonly name: infer N extends string }
      ? 'comment' extends keyof C
        ? `${Identifier<N>}${string}`
        : Identifier<N>
      : string

type JoinColumns<L extends readonly unknown[]> = L extends readonly [infer H, ...infer R]
  ? R extends readonly [] ? ColumnEntryText<H> : `${ColumnEntryText<H>}, ${JoinColumns<R>}`
  : string

type JoinPartition<L extends readonly unknown[]> = L extends readonly [infer H, ...infer R]
  ? R extends readonly [] ? PartitionEntryText<H> : `${PartitionEntryText<H>}, ${JoinPartition<R>}`
  : string

type JoinRefs<L extends readonly unknown[]> = L extends readonly [infer H, ...infer R]
  ? R extends readonly [] ? ColumnRefText<H> : `${ColumnRefText<H>}, ${JoinRefs<R>}`
  : string

/** `.columns(...)` as text. */
export type ColumnsText<C extends readonly unknown[]> = `(${JoinColumns<C>})`

/** `.comment(text)` as text (an empty comment is none, as the differ sees it). */
export type CommentText<C extends string> = string extends C ? string : C extends '' ? 'none' : `'${C}'`

/** `.partitionBy(...)` as text. */
export type PartitionText<E extends readonly unknown[]> = `(${JoinPartition<E>})`

/** `.orderBy(...)` as text. */
export type OrderByText<C extends readonly unknown[]> = `(${JoinRefs<C>})`

/** `.distributedBy.hash(columns)` as text. */
export type HashText<C> = `HASH(${C extends readonly unknown[] ? JoinRefs<C> : ColumnRefText<C>})`

/** `BUCKETS n` as text: `'auto'` without it. */
export type BucketsText<O> = 'buckets' extends keyof O
  ? O extends { readonly buckets: infer B extends number }
    ? number extends B ? string : `${B}`
    : string
  : 'auto'

/** A name, or `string` when the type checker cannot know it. */
export type NameText<N extends string> = Known<N>
