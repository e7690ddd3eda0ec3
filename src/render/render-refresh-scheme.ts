import { match } from 'ts-pattern'
import { atLeast, type RefreshSpec } from '../model/index.js'
import { quoteString } from '../sql/index.js'
import { targetVersion, type RenderOptions } from './render-options.js'

/**
 * Render a refresh scheme: the text after `REFRESH ` without the moment (IMMEDIATE / DEFERRED),
 * which only CREATE takes. The keywords follow the target version:
 *
 * | refresh | up to 4.0 | 4.1 up to 26.1 | 26.2 and newer |
 * |---|---|---|---|
 * | async, no interval (on base-table loads) | `ASYNC` | `ASYNC` | `ON_CHANGE` |
 * | async with an interval | `ASYNC [START('..')] EVERY (INTERVAL n UNIT)` | `SCHEDULE [START('..')] EVERY (INTERVAL n UNIT)` | same as 4.1 |
 * | manual | `MANUAL` | `MANUAL` | `MANUAL` |
 *
 * From 4.1 the periodic form is emitted as `SCHEDULE`, the spelling those servers print back in
 * SHOW CREATE (they also accept `ASYNC ... EVERY`), so what is sent and what is read back agree.
 * From 26.2 an untimed `ASYNC` must be sent as `ON_CHANGE`.
 *
 * @example
 * ```ts
 * renderRefreshScheme({ kind: 'async', deferred: false, start: '2025-01-01 00:00:00', every: { value: 1, unit: 'DAY' } })
 * // ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)
 * ```
 */
export const renderRefreshScheme = (refresh: RefreshSpec, options?: RenderOptions): string => {
  const version = targetVersion(options)
  return match(refresh)
    .with({ kind: 'manual' }, () => 'MANUAL')
    .with({ kind: 'async' }, (r) => {
      if (r.every === undefined) return atLeast(version, '26.2') ? 'ON_CHANGE' : 'ASYNC'
      const keyword = atLeast(version, '4.1') ? 'SCHEDULE' : 'ASYNC'
      const start = r.start === undefined ? '' : ` START(${quoteString(r.start)})`
      const value = Number(r.every.value)
      if (!Number.isInteger(value) || value <= 0) throw new TypeError(`A refresh interval must be a whole number greater than 0, got ${String(r.every.value)}.`)
      return `${keyword}${start} EVERY (INTERVAL ${value} ${r.every.unit})`
    })
    .exhaustive()
}
