import type { Distribution, MvColumn, MvIndex, RefreshSpec } from '../model/index.js'

/** `(none)` for absent values in messages. */
export const NONE = '(none)'

/** A refresh scheme as StarRocks spells it (3.x keywords), for messages. */
export const formatRefresh = (r: RefreshSpec | undefined): string => {
  if (r === undefined) return 'MANUAL (default)'
  const moment = r.deferred ? 'DEFERRED ' : ''
  if (r.kind === 'manual') return `${moment}MANUAL`
  const start = r.start === undefined ? '' : ` START('${r.start}')`
  const every = r.every === undefined ? '' : ` EVERY(INTERVAL ${r.every.value} ${r.every.unit})`
  return `${moment}ASYNC${start}${every}`
}

/** `HASH(a, b) BUCKETS 8` / `RANDOM`, for messages. */
export const formatDistribution = (d: Distribution | undefined): string => {
  if (d === undefined) return 'RANDOM (default)'
  const buckets = d.buckets === undefined ? '' : ` BUCKETS ${d.buckets}`
  return d.kind === 'hash' ? `HASH(${d.columns.join(', ')})${buckets}` : `RANDOM${buckets}`
}

/** `(a, b COMMENT 'x')`, for messages. */
export const formatColumns = (cols: readonly MvColumn[] | undefined): string =>
  cols === undefined ? NONE : `(${cols.map((c) => (c.comment === undefined ? c.name : `${c.name} COMMENT ${JSON.stringify(c.comment)}`)).join(', ')})`

/** `(INDEX i (c) USING BITMAP, ...)`, for messages. */
export const formatIndexes = (indexes: readonly MvIndex[] | undefined): string =>
  indexes === undefined || indexes.length === 0
    ? NONE
    : `(${indexes.map((ix) => `INDEX ${ix.name} (${ix.columns.join(', ')})${ix.using === undefined ? '' : ` USING ${ix.using}`}`).join(', ')})`

/** `(a, b)`, for messages. */
export const formatList = (items: readonly string[] | undefined): string => (items === undefined ? NONE : `(${items.join(', ')})`)

/** A possibly absent text, quoted, for messages. */
export const formatText = (text: string | undefined): string => (text === undefined ? NONE : JSON.stringify(text))
