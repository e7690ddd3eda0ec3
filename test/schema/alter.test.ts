import { describe, expect, it } from 'vitest'
import { alter, isAlterBuilder, isStarRocksMvError, mv, type MvAlter } from '../../src/index.js'
import { errorOf } from '../support/error-of.js'

const daily = mv('daily_sales_mv')
  .schema('analytics')
  .refresh.async({ every: '1 DAY' })
  .properties({ partition_ttl_number: 10, replication_num: 1 }, { unknown: { my_prop: 'a', frozen_prop: 'b' }, alterable: ['my_prop'] })
  .as('SELECT 1 AS x')

describe('alter()', () => {
  it('renders one statement per change, in order', () => {
    const a = alter(daily)
      .refresh.async({ start: '2025-06-01 00:00:00', every: '2 hour' })
      .refresh.manual()
      .set({ partition_ttl_number: 30, 'session.insert_timeout': 3600, partition_refresh_strategy: 'adaptive' })
      .inactive()
      .active()
      .swapWith('daily_sales_mv_new')
      .rename('daily_sales')
      .set({ resource_group: 'rg' })
    expect(a.toStatements()).toEqual([
      "ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH ASYNC START('2025-06-01 00:00:00') EVERY (INTERVAL 2 HOUR)",
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH MANUAL',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("partition_ttl_number" = "30", "session.insert_timeout" = "3600", "partition_refresh_strategy" = "adaptive")',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` INACTIVE',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` ACTIVE',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SWAP WITH `daily_sales_mv_new`',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` RENAME `daily_sales`',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales` SET ("resource_group" = "rg")',
    ])
    expect(a.toStatements({ version: '4.1' })[0]).toBe(
      "ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH SCHEDULE START('2025-06-01 00:00:00') EVERY (INTERVAL 2 HOUR)",
    )
  })

  it('exposes target and changes as plain data, recording previous values when given an MV', () => {
    const a = alter(daily).set({ partition_ttl_number: 3, auto_refresh_partitions_limit: 2 }).refresh.manual()
    expect(a.target).toEqual({ schema: 'analytics', name: 'daily_sales_mv' })
    expect(a.changes).toEqual([
      { kind: 'set', properties: { partition_ttl_number: '3', auto_refresh_partitions_limit: '2' }, previous: { partition_ttl_number: '10', auto_refresh_partitions_limit: null } },
      { kind: 'refresh', refresh: { kind: 'manual', deferred: false }, previous: { kind: 'async', deferred: false, every: { value: 1, unit: 'DAY' } } },
    ])
    expect(JSON.parse(JSON.stringify(a.changes))).toEqual(a.changes)
    expect(Object.isFrozen(a.changes)).toBe(true)
    expect(isAlterBuilder(a)).toBe(true)
  })

  it('is immutable: branches do not share changes', () => {
    const base = alter('analytics.m')
    const one = base.active()
    const two = base.inactive()
    expect(base.changes).toEqual([])
    expect(one.changes).toEqual([{ kind: 'active' }])
    expect(two.changes).toEqual([{ kind: 'inactive' }])
    expect(base.target).toEqual({ schema: 'analytics', name: 'm' })
    expect(alter({ name: 'n' }).target).toEqual({ name: 'n' })
  })

  it('refuses create-only properties at run time too', () => {
    const e = errorOf(() => alter(daily).set({ replication_num: 3 } as never))
    expect(e.code).toBe('NOT_ALTERABLE')
    expect(e.message).toBe(
      'analytics.daily_sales_mv: property "replication_num" is create-only: ALTER MATERIALIZED VIEW ... SET cannot change it. Rebuild the MV (drop + create, or build a new MV and SWAP WITH it).',
    )
  })

  it('takes unknown properties through the escape hatch, only when the MV declared them alterable', () => {
    expect(alter(daily).set({}, { unknown: { my_prop: 'z' } }).toStatements()).toEqual(['ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("my_prop" = "z")'])
    const e = errorOf(() => alter(daily).set({}, { unknown: { frozen_prop: 'z' } }))
    expect(e.code).toBe('NOT_ALTERABLE')
    expect(e.message).toContain(".properties({}, { unknown: { frozen_prop: '...' }, alterable: ['frozen_prop'] })")
    expect(alter('m').set({}, { unknown: { brand_new: 1 } }).changes).toEqual([{ kind: 'set', properties: { brand_new: '1' } }])
    expect(errorOf(() => alter('m').set({}, { unknown: { storage_medium: 'SSD' } })).code).toBe('NOT_ALTERABLE')
    expect(errorOf(() => alter('m').set({ nope: 1 } as never)).code).toBe('INVALID_ALTER')
  })

  it('refuses the immutable attributes at run time with the way out', () => {
    const a = alter(daily) as unknown as Record<string, unknown>
    for (const member of ['as', 'columns', 'comment', 'partitionBy', 'orderBy', 'properties', 'sync']) {
      const e = errorOf(() => (a[member] as () => unknown)())
      expect(e.code).toBe('IMMUTABLE_ATTRIBUTE')
      expect(e.message).toMatch(/^analytics\.daily_sales_mv: .* (cannot be altered: rebuild it \(drop \+ create, or build a new MV and SWAP WITH it\)\.|\.set\(\{\.\.\.\})/)
    }
    const d = a.distributedBy as { hash: () => unknown; random: () => unknown }
    expect(errorOf(() => d.hash()).message).toMatch(/DISTRIBUTED BY \(and BUCKETS\) of a materialized view cannot be altered/)
    expect(errorOf(() => d.random()).code).toBe('IMMUTABLE_ATTRIBUTE')
  })

  it('refuses a moment in ALTER ... REFRESH, bad values and incomplete MVs', () => {
    expect(errorOf(() => alter(daily).refresh.async({ every: '1 DAY', deferred: true as never })).message).toMatch(/ALTER \.\.\. REFRESH takes no moment/)
    expect(errorOf(() => alter(daily).refresh.async({ every: '0 DAY' })).code).toBe('INVALID_MV')
    expect(errorOf(() => alter(daily).set({})).code).toBe('INVALID_ALTER')
    expect(errorOf(() => alter(daily).rename('')).code).toBe('INVALID_MV')
    expect(errorOf(() => alter(mv('m') as never)).code).toBe('INVALID_MV')
    expect(errorOf(() => alter(daily).swapWith(mv('other').schema('elsewhere').as('SELECT 1'))).code).toBe('INVALID_ALTER')
    expect(alter(daily).swapWith(mv('other').schema('analytics').as('SELECT 1')).changes).toEqual([{ kind: 'swap', other: 'other' }])
  })

  it('checks versions when rendering', () => {
    const a: MvAlter = alter('m').active()
    expect(isStarRocksMvError(errorOf(() => a.toStatements({ version: '3.0' })), 'UNSUPPORTED_IN_VERSION')).toBe(true)
  })
})
