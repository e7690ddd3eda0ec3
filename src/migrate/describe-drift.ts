import { match } from 'ts-pattern'
import type { Change } from '../diff/index.js'
import { formatColumns, formatDistribution, formatIndexes, formatList, formatRefresh, formatText, NONE } from '../diff/format-values.js'

const has = (mv: string, what: string, server: string, wanted: string): string => `${mv}: the server has ${what} ${server}; the schema wants ${wanted}`

/**
 * One difference between a live server and the state the schema wants, said in that direction:
 * what the server has first, then what the schema wants, then (where it helps) what the next
 * migration does about it. `change` comes from `diff(live, wanted)`.
 *
 * @example
 * ```ts
 * describeDrift({ kind: 'propertyRemoved', mv: 'daily', key: 'partition_ttl_number', from: '5', alterable: true, resetTo: '-1' })
 * // 'daily: the server has partition_ttl_number = 5; the schema does not set it: the next migration resets it to -1'
 * ```
 */
export const describeDrift = (change: Change): string =>
  match(change)
    .returnType<string>()
    .with({ kind: 'added' }, (c) => `${c.mv}: the server does not have it; the schema wants it created`)
    .with({ kind: 'removed' }, (c) => `${c.mv}: the server has it; the schema does not declare it`)
    .with({ kind: 'renamed' }, (c) => `${c.mv}: the server has it as ${c.from}; the schema names it ${c.mv}`)
    .with({ kind: 'refreshChanged' }, (c) => has(c.mv, 'REFRESH', formatRefresh(c.from), formatRefresh(c.to)))
    .with({ kind: 'propertyAdded' }, (c) => `${c.mv}: the server does not set ${c.key}; the schema wants ${c.key} = ${c.to}`)
    .with({ kind: 'propertyChanged' }, (c) => `${c.mv}: the server has ${c.key} = ${c.from}; the schema wants ${c.to}${c.alterable ? '' : ` (create-only: a rebuild)`}`)
    .with({ kind: 'propertyRemoved' }, (c) => {
      const next = !c.alterable
        ? 'it is create-only, so only a rebuild removes it'
        : c.resetTo === undefined
          ? 'it has no known default to reset it to'
          : `the next migration resets it to ${c.resetTo}`
      return `${c.mv}: the server has ${c.key} = ${c.from}; the schema does not set it: ${next}`
    })
    .with({ kind: 'queryChanged' }, (c) => `${c.mv}: the server's query differs from the schema's${c.mayBeRewrite ? ' (this may only be the server\'s rewrite of the same query)' : ''}`)
    .with({ kind: 'columnsChanged' }, (c) => has(c.mv, 'the column list', formatColumns(c.from), formatColumns(c.to)))
    .with({ kind: 'indexesChanged' }, (c) => has(c.mv, 'the indexes', formatIndexes(c.from), formatIndexes(c.to)))
    .with({ kind: 'commentChanged' }, (c) => has(c.mv, 'COMMENT', formatText(c.from), formatText(c.to)))
    .with({ kind: 'partitionByChanged' }, (c) => has(c.mv, 'PARTITION BY', formatList(c.from), formatList(c.to)))
    .with({ kind: 'distributionChanged' }, (c) => has(c.mv, 'DISTRIBUTED BY', formatDistribution(c.from), formatDistribution(c.to)))
    .with({ kind: 'bucketsChanged' }, (c) => has(c.mv, 'BUCKETS', c.from === undefined ? NONE : String(c.from), c.to === undefined ? NONE : String(c.to)))
    .with({ kind: 'orderByChanged' }, (c) => has(c.mv, 'ORDER BY', formatList(c.from), formatList(c.to)))
    .with({ kind: 'syncChanged' }, (c) => has(c.mv, 'a', c.from ? 'synchronous MV' : 'asynchronous MV', c.to ? 'a synchronous one' : 'an asynchronous one'))
    .with({ kind: 'inactive' }, (c) => `${c.mv}: the server has it inactive${c.reason === undefined ? '' : ` (${c.reason})`}; the schema wants it active`)
    .exhaustive()
