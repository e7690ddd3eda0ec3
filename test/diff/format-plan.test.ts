import { describe, expect, it } from 'vitest'
import { diff, formatPlan, planToJSON } from '../../src/diff/index.js'
import { SchemaState } from '../../src/model/index.js'
import { daily, def, edit, monthly } from './defs.js'

const gone = def({ name: 'gone' })
const swapPlan = diff(
  SchemaState.create([daily, monthly, gone]),
  SchemaState.create([edit(daily, { comment: 'Sales per day' }), edit(monthly, { properties: { task_priority: '2' } })]),
  { rebuild: 'swap' },
)

describe('formatPlan', () => {
  const text = formatPlan(swapPlan, { version: '3.5' })

  it('summarises, numbers each op and shows its SQL', () => {
    expect(text.split('\n')[0]).toBe('Plan: 7 operations (2 drop, 3 alter, 1 create, 1 refresh)')
    expect(text).toContain('1. drop shop.gone\n   DROP MATERIALIZED VIEW `shop`.`gone`;')
    expect(text).toContain('5. alter shop.daily: swap with daily__srmv_new\n   ALTER MATERIALIZED VIEW `shop`.`daily` SWAP WITH `daily__srmv_new`;')
    expect(text).toContain('7. alter shop.monthly: re-activate\n   ALTER MATERIALIZED VIEW `shop`.`monthly` ACTIVE;')
  })

  it('warns about drops, rebuilds and the MVs they touch', () => {
    expect(text).toContain('! shop.gone is dropped, with its data.')
    expect(text).toContain('! shop.daily is rebuilt by SWAP')
    expect(text).toContain('! shop.monthly reads a rebuilt MV: StarRocks deactivates it on DROP and SWAP')
  })

  it('lists problems with their messages, and says when nothing changes', () => {
    const bad = diff(SchemaState.create([daily]), SchemaState.create([edit(daily, { query: 'SELECT dt FROM shop.orders' })]))
    const out = formatPlan(bad)
    expect(out).toContain('Problems (1) — this plan cannot be applied as it stands:')
    expect(out).toContain('  ✗ [IMMUTABLE_CHANGE] shop.daily: the query changed.')
    expect(out).toContain('    +SELECT dt')
    expect(formatPlan(diff(SchemaState.create([daily]), SchemaState.create([daily])))).toBe('No changes: the schema matches.\n')
  })

  it('colours only when asked', () => {
    expect(text).not.toContain('\u001b[')
    expect(formatPlan(swapPlan, { color: true })).toContain('\u001b[')
  })

  it('drop-create rebuilds are warned as downtime', () => {
    const dc = diff(SchemaState.create([daily]), SchemaState.create([edit(daily, { comment: 'x' })]), { rebuild: 'drop-create' })
    expect(formatPlan(dc)).toContain('shop.daily is dropped and created again: it is unavailable, then empty until its refresh finishes.')
  })
})

describe('planToJSON', () => {
  it('carries ops with titles and SQL, problems, changes with summaries and warnings; survives JSON', () => {
    const json = planToJSON(swapPlan, { version: '4.1' })
    expect(json.ops).toHaveLength(7)
    expect(json.ops[1]).toMatchObject({ title: 'alter shop.monthly: set task_priority = "2"', sql: ['ALTER MATERIALIZED VIEW `shop`.`monthly` SET ("task_priority" = "2")'] })
    expect(json.changes.map((c) => c.summary)).toContain('shop.daily: COMMENT changed from (none) to "Sales per day"')
    expect(json.rebuilt).toEqual(['shop.daily'])
    expect(json.reactivated).toEqual(['shop.monthly'])
    expect(json.warnings).toHaveLength(3)
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })
})
