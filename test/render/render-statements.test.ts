import { describe, expect, it } from 'vitest'
import { isStarRocksMvError, type AlterChange } from '../../src/index.js'
import {
  renderAlter,
  renderAlterStatements,
  renderCancelRefresh,
  renderDrop,
  renderQualifiedName,
  renderRefresh,
  renderRefreshScheme,
} from '../../src/render/index.js'

const t = { schema: 'analytics', name: 'daily_sales_mv' }

const errorOf = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

describe('renderQualifiedName', () => {
  it('quotes each part', () => {
    expect(renderQualifiedName(t)).toBe('`analytics`.`daily_sales_mv`')
    expect(renderQualifiedName({ name: 'a`b' })).toBe('`a``b`')
    expect(() => renderQualifiedName({ name: '' })).toThrow(/must not be empty/)
  })
})

describe('renderRefreshScheme', () => {
  it('renders each scheme without a moment', () => {
    expect(renderRefreshScheme({ kind: 'manual', deferred: true })).toBe('MANUAL')
    expect(renderRefreshScheme({ kind: 'async', deferred: true })).toBe('ASYNC')
    expect(renderRefreshScheme({ kind: 'async', deferred: false, start: '2025-01-01 00:00:00', every: { value: 1, unit: 'DAY' } })).toBe(
      "ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)",
    )
    expect(renderRefreshScheme({ kind: 'async', deferred: false, every: { value: 2, unit: 'HOUR' } }, { version: '4.1' })).toBe(
      'SCHEDULE EVERY (INTERVAL 2 HOUR)',
    )
    expect(renderRefreshScheme({ kind: 'async', deferred: false }, { version: '26.2' })).toBe('ON_CHANGE')
  })
})

describe('renderAlter', () => {
  it('renders one statement per change', () => {
    expect(renderAlter(t, { kind: 'refresh', refresh: { kind: 'async', deferred: false, every: { value: 1, unit: 'HOUR' } } })).toBe(
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH ASYNC EVERY (INTERVAL 1 HOUR)',
    )
    expect(renderAlter(t, { kind: 'refresh', refresh: { kind: 'manual', deferred: true } })).toBe(
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH MANUAL',
    )
    expect(renderAlter(t, { kind: 'set', properties: { partition_ttl_number: '3', 'session.insert_timeout': '3600' } })).toBe(
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("partition_ttl_number" = "3", "session.insert_timeout" = "3600")',
    )
    expect(renderAlter(t, { kind: 'rename', newName: 'daily_v2' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` RENAME `daily_v2`')
    expect(renderAlter(t, { kind: 'active' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` ACTIVE')
    expect(renderAlter(t, { kind: 'inactive' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` INACTIVE')
    expect(renderAlter(t, { kind: 'swap', other: 'daily_new' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SWAP WITH `daily_new`')
  })

  it('refuses ACTIVE, INACTIVE and SWAP before 3.1', () => {
    for (const change of [{ kind: 'active' }, { kind: 'inactive' }, { kind: 'swap', other: 'x' }] satisfies AlterChange[]) {
      const e = errorOf(() => renderAlter(t, change, { version: '3.0' }))
      expect(isStarRocksMvError(e, 'UNSUPPORTED_IN_VERSION')).toBe(true)
      expect((e as Error).message).toMatch(/analytics\.daily_sales_mv: ALTER \.\.\. (ACTIVE|INACTIVE|SWAP WITH) needs StarRocks 3\.1/)
    }
  })

  it('checks SET: not empty, property versions', () => {
    expect(isStarRocksMvError(errorOf(() => renderAlter(t, { kind: 'set', properties: {} })), 'INVALID_ALTER')).toBe(true)
    expect(isStarRocksMvError(errorOf(() => renderAlter(t, { kind: 'set', properties: { excluded_refresh_tables: 'x' } }, { version: '3.2' })), 'UNSUPPORTED_IN_VERSION')).toBe(true)
  })

  it('checks a new name', () => {
    expect(isStarRocksMvError(errorOf(() => renderAlter(t, { kind: 'rename', newName: '' })), 'INVALID_MV')).toBe(true)
  })

  it('follows a rename in a sequence', () => {
    expect(renderAlterStatements(t, [{ kind: 'inactive' }, { kind: 'rename', newName: 'b' }, { kind: 'active' }])).toEqual([
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` INACTIVE',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` RENAME `b`',
      'ALTER MATERIALIZED VIEW `analytics`.`b` ACTIVE',
    ])
  })
})

describe('renderDrop, renderRefresh, renderCancelRefresh', () => {
  it('renders DROP', () => {
    expect(renderDrop(t)).toBe('DROP MATERIALIZED VIEW `analytics`.`daily_sales_mv`')
    expect(renderDrop({ name: 'm' }, { ifExists: true, force: true })).toBe('DROP MATERIALIZED VIEW IF EXISTS `m` FORCE')
  })

  it('renders REFRESH', () => {
    expect(renderRefresh(t)).toBe('REFRESH MATERIALIZED VIEW `analytics`.`daily_sales_mv`')
    expect(renderRefresh({ name: 'm' }, { partition: { start: '2025-01-01', end: '2025-02-01"x' }, force: true, wait: true })).toBe(
      'REFRESH MATERIALIZED VIEW `m` PARTITION START ("2025-01-01") END ("2025-02-01\\"x") FORCE WITH SYNC MODE',
    )
    expect(isStarRocksMvError(errorOf(() => renderRefresh({ name: 'm' }, { wait: true, version: '2.5.7' })), 'UNSUPPORTED_IN_VERSION')).toBe(true)
    expect(isStarRocksMvError(errorOf(() => renderRefresh({ name: 'm' }, { partition: { start: '', end: 'x' } })), 'INVALID_REFRESH')).toBe(true)
  })

  it('renders CANCEL REFRESH', () => {
    expect(renderCancelRefresh(t)).toBe('CANCEL REFRESH MATERIALIZED VIEW `analytics`.`daily_sales_mv`')
    expect(renderCancelRefresh({ name: 'm' }, { force: true })).toBe('CANCEL REFRESH MATERIALIZED VIEW `m` FORCE')
  })
})
