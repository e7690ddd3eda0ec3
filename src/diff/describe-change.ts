import { match } from 'ts-pattern'
import type { Change } from './change.js'
import { formatColumns, formatDistribution, formatIndexes, formatList, formatRefresh, formatText, NONE } from './format-values.js'

/** A change in words: the attribute, its old and new value as text, and a one-line summary. */
export interface ChangeDescription {
  readonly attribute: string
  readonly from?: string
  readonly to?: string
  readonly summary: string
}

const changed = (mv: string, what: string, from: string, to: string): string => `${mv}: ${what} changed from ${from} to ${to}`

/**
 * Describe a change for people: `analytics.daily: PARTITION BY changed from (dt) to (date_trunc('month', dt))`.
 */
export const describeChange = (change: Change): ChangeDescription =>
  match(change)
    .returnType<ChangeDescription>()
    .with({ kind: 'added' }, (c) => ({ attribute: 'mv', summary: `${c.mv}: new materialized view` }))
    .with({ kind: 'removed' }, (c) => ({ attribute: 'mv', summary: `${c.mv}: removed from the schema` }))
    .with({ kind: 'renamed' }, (c) => ({ attribute: 'name', from: c.from, to: c.mv, summary: `${c.from}: renamed to ${c.mv}` }))
    .with({ kind: 'refreshChanged' }, (c) => {
      const from = formatRefresh(c.from)
      const to = formatRefresh(c.to)
      return { attribute: 'refresh', from, to, summary: changed(c.mv, 'REFRESH', from, to) }
    })
    .with({ kind: 'propertyAdded' }, (c) => ({
      attribute: `property ${c.key}`,
      to: c.to,
      summary: `${c.mv}: ${c.alterable ? 'property' : 'create-only property'} "${c.key}" set to "${c.to}"`,
    }))
    .with({ kind: 'propertyChanged' }, (c) => ({
      attribute: `property ${c.key}`,
      from: c.from,
      to: c.to,
      summary: changed(c.mv, `${c.alterable ? 'property' : 'create-only property'} "${c.key}"`, `"${c.from}"`, `"${c.to}"`),
    }))
    .with({ kind: 'propertyRemoved' }, (c) => ({
      attribute: `property ${c.key}`,
      from: c.from,
      ...(c.resetTo === undefined ? {} : { to: c.resetTo }),
      summary:
        `${c.mv}: ${c.alterable ? 'property' : 'create-only property'} "${c.key}" = "${c.from}" removed` +
        (c.resetTo === undefined ? '' : ` (its default is "${c.resetTo}")`),
    }))
    .with({ kind: 'queryChanged' }, (c) => ({
      attribute: 'query',
      from: c.from,
      to: c.to,
      summary: `${c.mv}: the query changed${c.mayBeRewrite ? ' (this may only be the server\'s rewrite of the query)' : ''}`,
    }))
    .with({ kind: 'columnsChanged' }, (c) => {
      const from = formatColumns(c.from)
      const to = formatColumns(c.to)
      return { attribute: 'columns', from, to, summary: changed(c.mv, 'the column list', from, to) }
    })
    .with({ kind: 'indexesChanged' }, (c) => {
      const from = formatIndexes(c.from)
      const to = formatIndexes(c.to)
      return { attribute: 'indexes', from, to, summary: changed(c.mv, 'the indexes', from, to) }
    })
    .with({ kind: 'commentChanged' }, (c) => {
      const from = formatText(c.from)
      const to = formatText(c.to)
      return { attribute: 'comment', from, to, summary: changed(c.mv, 'COMMENT', from, to) }
    })
    .with({ kind: 'partitionByChanged' }, (c) => {
      const from = formatList(c.from)
      const to = formatList(c.to)
      return { attribute: 'partitionBy', from, to, summary: changed(c.mv, 'PARTITION BY', from, to) }
    })
    .with({ kind: 'distributionChanged' }, (c) => {
      const from = formatDistribution(c.from)
      const to = formatDistribution(c.to)
      return { attribute: 'distribution', from, to, summary: changed(c.mv, 'DISTRIBUTED BY', from, to) }
    })
    .with({ kind: 'bucketsChanged' }, (c) => {
      const from = c.from === undefined ? NONE : String(c.from)
      const to = c.to === undefined ? NONE : String(c.to)
      return { attribute: 'buckets', from, to, summary: changed(c.mv, 'BUCKETS', from, to) }
    })
    .with({ kind: 'orderByChanged' }, (c) => {
      const from = formatList(c.from)
      const to = formatList(c.to)
      return { attribute: 'orderBy', from, to, summary: changed(c.mv, 'ORDER BY', from, to) }
    })
    .with({ kind: 'syncChanged' }, (c) => {
      const from = c.from ? 'synchronous' : 'asynchronous'
      const to = c.to ? 'synchronous' : 'asynchronous'
      return { attribute: 'sync', from, to, summary: changed(c.mv, 'the kind of MV', from, to) }
    })
    .with({ kind: 'inactive' }, (c) => ({
      attribute: 'active',
      from: 'inactive',
      to: 'active',
      summary: `${c.mv}: inactive on the server${c.reason === undefined ? '' : ` (${c.reason})`}`,
    }))
    .exhaustive()
