import { describe, expect, test } from 'vitest'
import { evaluateHealth, type HealthFacts } from '../../src/health/index.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'

const daily = MvDefinition.create({
  name: 'daily', schema: 'shop',
  refresh: { kind: 'async', deferred: false, start: '2026-01-01 00:00:00', every: { value: 1, unit: 'HOUR' } },
  query: 'SELECT 1', dependencies: [{ schema: 'shop', name: 'orders' }],
})

const facts = (over: Partial<HealthFacts> & { status?: Record<string, unknown> } = {}): HealthFacts => ({
  state: SchemaState.create([daily], { status: { 'shop.daily': { active: true, taskName: 'mv-1', ...over.status } as never }, serverVersion: '4.1.2' }),
  checkedAt: '2026-06-01 12:00:00',
  schemas: ['shop'],
  runs: [],
  sources: { refreshes: 'task_runs', baseTables: 'partitions_meta.VISIBLE_VERSION_TIME' },
  ...over,
})

describe('evaluateHealth', () => {
  test('stale only beyond EVERY + grace, counted from the last success', () => {
    const runs = [{ taskName: 'mv-1', state: 'SUCCESS', startedAt: '2026-06-01 10:40:00', order: 0 }]
    const late = evaluateHealth(facts({ runs }), { graceSeconds: 600 })
    expect(late.mvs[0]?.findings).toEqual([expect.objectContaining({ kind: 'stale', lastSuccess: '2026-06-01 10:40:00', overdueSeconds: 1200 })])
    expect(late.mvs[0]?.findings[0]?.message).toContain('20 minutes overdue')
    expect(evaluateHealth(facts({ runs }), { graceSeconds: 1800 }).mvs[0]?.findings).toEqual([])
  })

  test('LAST_FRESHNESS_CONFIRMED_AT, where the server has it, wins over the history', () => {
    const runs = [{ taskName: 'mv-1', state: 'SUCCESS', startedAt: '2026-06-01 08:00:00', order: 0 }]
    const r = evaluateHealth(facts({ runs, status: { lastFreshnessConfirmedAt: '2026-06-01 11:30:00' } }))
    expect(r.mvs[0]?.lastSuccess).toBe('2026-06-01 11:30:00')
    expect(r.mvs[0]?.level).toBe('ok')
  })

  test('the latest finished run decides failure; MERGED and running runs do not hide it', () => {
    const runs = [
      { taskName: 'mv-1', state: 'SUCCESS', startedAt: '2026-06-01 11:00:00', order: 0 },
      { taskName: 'mv-1', state: 'FAILED', startedAt: '2026-06-01 11:50:00', error: 'boom', order: 1 },
      { taskName: 'mv-1', state: 'RUNNING', startedAt: '2026-06-01 11:59:00', order: 2 },
    ]
    const r = evaluateHealth(facts({ runs }))
    expect(r.mvs[0]?.findings.map((f) => f.kind)).toEqual(['refresh-running', 'refresh-failed'])
    expect(r.mvs[0]?.lastRefresh).toMatchObject({ state: 'RUNNING' })
    expect(r.level).toBe('error')
    // a later success clears it
    const fixed = evaluateHealth(facts({ runs: [...runs.slice(0, 2), { taskName: 'mv-1', state: 'SUCCESS', startedAt: '2026-06-01 11:55:00', order: 3 }] }))
    expect(fixed.mvs[0]?.findings).toEqual([])
  })

  test('base tables changed: only writes after the last success start, and not while a refresh runs', () => {
    const runs = [{ taskName: 'mv-1', state: 'SUCCESS', startedAt: '2026-06-01 11:30:00', order: 0 }]
    const writes = (at: string) => new Map([['shop.orders', at]])
    expect(evaluateHealth(facts({ runs, tableWrites: writes('2026-06-01 11:30:00') })).mvs[0]?.findings).toEqual([])
    const changed = evaluateHealth(facts({ runs, tableWrites: writes('2026-06-01 11:30:01') }))
    expect(changed.mvs[0]?.findings).toEqual([expect.objectContaining({ kind: 'base-tables-changed', tables: [{ name: 'shop.orders', changedAt: '2026-06-01 11:30:01' }] })])
    const running = [...runs, { taskName: 'mv-1', state: 'PENDING', order: 1 }]
    expect(evaluateHealth(facts({ runs: running, tableWrites: writes('2026-06-01 11:40:00') })).mvs[0]?.findings.map((f) => f.kind)).toEqual(['refresh-running'])
  })

  test('no schedule before START', () => {
    const r = evaluateHealth(facts({ checkedAt: '2025-12-31 23:00:00' }))
    expect(r.mvs[0]?.findings).toEqual([])
  })
})
