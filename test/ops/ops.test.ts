import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { alter, mv, sql, table, StarRocksMvError } from '../../src/index.js'
import { createRecorder, defineMigration, op, recordOps, renderOpsAsCode, reverse, reverseAll, toStatements, type Op } from '../../src/ops/index.js'
import { opArb, VERSIONS } from './arbitraries.js'

const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
const daily = mv('daily_sales_mv')
  .schema('analytics')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 8 })
  .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
  .properties({ replication_num: 1 })
  .as(sql`SELECT ${orders.order_date}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)

/** Statements, or the error code when the version cannot express the op. */
const outcome = (ops: Op | readonly Op[], version: string): string[] | { error: string } => {
  try {
    return toStatements(ops, { version })
  } catch (e) {
    if (e instanceof StarRocksMvError) return { error: e.code }
    throw e
  }
}

const runCode = async (code: string): Promise<Op[]> =>
  recordOps((recorder) => {
    new Function('op', 'mv', 'alter', 'sql', code)(recorder, mv, alter, sql)
  })

describe('toStatements', () => {
  it('renders every op kind as exact StarRocks SQL, one statement per ALTER clause', () => {
    const ops = [
      op.createMaterializedView(daily),
      op.alterMaterializedView(alter(daily).refresh.manual().set({ task_priority: 3 }).rename('daily_v2').active()),
      op.refreshMaterializedView(daily, { partition: { start: '2025-01-01', end: '2025-02-01' }, force: true, wait: true }),
      op.cancelRefreshMaterializedView('analytics.daily_sales_mv', { force: true }),
      op.dropMaterializedView(daily, { ifExists: true, force: true }),
      op.execute(sql`INSERT INTO ${sql.id('t')} VALUES (${"it's"});`, { down: 'DELETE FROM t' }),
    ]
    expect(toStatements(ops, { version: '3.5' })).toEqual([
      'CREATE MATERIALIZED VIEW `analytics`.`daily_sales_mv`\n' +
        'PARTITION BY `order_date`\n' +
        'DISTRIBUTED BY HASH(`order_date`) BUCKETS 8\n' +
        "REFRESH ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)\n" +
        'PROPERTIES ("replication_num" = "1")\n' +
        'AS SELECT `orders`.`order_date`, sum(`orders`.`amount`) AS total FROM `shop`.`orders` GROUP BY `orders`.`order_date`',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH MANUAL',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("task_priority" = "3")',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` RENAME `daily_v2`',
      'ALTER MATERIALIZED VIEW `analytics`.`daily_v2` ACTIVE',
      'REFRESH MATERIALIZED VIEW `analytics`.`daily_sales_mv` PARTITION START ("2025-01-01") END ("2025-02-01") FORCE WITH SYNC MODE',
      'CANCEL REFRESH MATERIALIZED VIEW `analytics`.`daily_sales_mv` FORCE',
      'DROP MATERIALIZED VIEW IF EXISTS `analytics`.`daily_sales_mv` FORCE',
      "INSERT INTO `t` VALUES ('it\\'s')",
    ])
  })

  it('uses the refresh keywords of the target version', () => {
    const create = op.createMaterializedView(daily)
    expect(toStatements(create, { version: '3.1' })[0]).toContain("REFRESH ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)")
    expect(toStatements(create, { version: '4.1' })[0]).toContain("REFRESH SCHEDULE START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)")
    const onChange = op.createMaterializedView(mv('m').refresh.async().as('SELECT 1'))
    expect(toStatements(onChange, { version: '3.5' })[0]).toContain('REFRESH ASYNC\n')
    expect(toStatements(onChange, { version: '26.2' })[0]).toContain('REFRESH ON_CHANGE\n')
  })

  it('never emits CREATE OR REPLACE or REFRESH DEFERRED alone', () => {
    fc.assert(
      fc.property(opArb, fc.constantFrom(...VERSIONS), (o, v) => {
        const out = outcome(o, v)
        if (!Array.isArray(out)) return
        for (const s of out) {
          expect(s).not.toMatch(/OR\s+REPLACE\s+MATERIALIZED/i)
          expect(s).not.toMatch(/REFRESH\s+DEFERRED\s*(\n|$|PROPERTIES\b|AS\b)/)
          expect(s).not.toMatch(/;\s*$/)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('ops are plain frozen data', () => {
  it('freezes ops deeply and carries the full definition in a create', () => {
    const create = op.createMaterializedView(daily)
    expect(Object.isFrozen(create)).toBe(true)
    expect(Object.isFrozen(create.definition.properties)).toBe(true)
    expect(create.definition).toEqual(daily.definition)
  })

  it('renders identically after a JSON round trip, for every op kind and version', () => {
    fc.assert(
      fc.property(opArb, fc.constantFrom(...VERSIONS), (o, v) => {
        const copy = JSON.parse(JSON.stringify(o)) as Op
        expect(outcome(copy, v)).toEqual(outcome(o, v))
      }),
      { numRuns: 500 },
    )
  })

  it('refuses incomplete MVs and empty alters with clear errors', () => {
    expect(() => op.createMaterializedView(mv('x') as never)).toThrow(/has no query: call \.as\(/)
    expect(() => op.alterMaterializedView(alter('db.x'))).toThrow(/has no changes/)
    expect(() => op.execute('  ')).toThrow(/non-empty statement/)
    expect(() => op.dropMaterializedView('.x')).toThrow(/Invalid materialized view name/)
  })
})

describe('reverse', () => {
  it('turns create into a drop that carries the definition, and back', () => {
    const create = op.createMaterializedView(daily)
    const drop = reverse(create)
    expect(drop).toEqual({ kind: 'dropMaterializedView', target: { schema: 'analytics', name: 'daily_sales_mv' }, ifExists: false, force: false, definition: daily.definition })
    expect(toStatements(reverse(drop))).toEqual(toStatements(create))
  })

  it('reverses alters in reverse order, following renames', () => {
    const a = op.alterMaterializedView(alter(daily).refresh.manual().rename('v2').set({ task_priority: 4 }).inactive())
    expect(toStatements(reverse(a))).toEqual([
      'ALTER MATERIALIZED VIEW `analytics`.`v2` ACTIVE',
      'ALTER MATERIALIZED VIEW `analytics`.`v2` SET ("task_priority" = "0")',
      'ALTER MATERIALIZED VIEW `analytics`.`v2` RENAME `daily_sales_mv`',
      "ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)",
    ])
  })

  it('refuses with a reason where no inverse exists', () => {
    const cases: [Op, RegExp][] = [
      [op.dropMaterializedView('analytics.x'), /did not record the definition/],
      [op.alterMaterializedView(alter('analytics.x').refresh.manual()), /does not record the previous refresh/],
      [op.alterMaterializedView(alter('analytics.x').set({ task_priority: 1 })), /does not record the previous values/],
      [op.alterMaterializedView({ target: { name: 'x' }, changes: [{ kind: 'set', properties: { colocate_with: 'g' }, previous: { colocate_with: null } }] }), /default is not known/],
      [op.refreshMaterializedView('x'), /changes data, not the definition/],
      [op.cancelRefreshMaterializedView('x'), /cannot be un-cancelled/],
      [op.execute('SELECT 1'), /has no down statement/],
    ]
    for (const [o, message] of cases) {
      expect(() => reverse(o)).toThrow(message)
      try {
        reverse(o)
      } catch (e) {
        expect((e as StarRocksMvError).code).toBe('IRREVERSIBLE')
      }
    }
  })

  it('reverse(reverse(op)) renders like op wherever both exist', () => {
    let reversible = 0
    fc.assert(
      // FORCE has no counterpart in a create, so a drop's round trip loses it (documented).
      fc.property(opArb.map((o) => (o.kind === 'dropMaterializedView' && o.definition !== undefined ? { ...o, force: false } : o)), fc.constantFrom(...VERSIONS), (o, v) => {
        let back: Op
        try {
          back = reverse(reverse(o, { version: v }), { version: v })
        } catch (e) {
          expect((e as StarRocksMvError).code).toBe('IRREVERSIBLE')
          return
        }
        reversible++
        expect(outcome(back, v)).toEqual(outcome(o, v))
      }),
      { numRuns: 500 },
    )
    expect(reversible).toBeGreaterThan(100)
  })

  it('reverseAll undoes a list in reverse order and skips data-only ops', () => {
    const ops = [op.createMaterializedView(daily), op.refreshMaterializedView(daily, { wait: true })]
    expect(reverseAll(ops).map((o) => o.kind)).toEqual(['dropMaterializedView'])
  })
})

describe('ops as TypeScript code', () => {
  it('writes readable builder chains', () => {
    const code = renderOpsAsCode([op.createMaterializedView(daily), op.alterMaterializedView(alter(daily).refresh.manual().set({ task_priority: 3 }))])
    expect(code).toBe(
      'op.createMaterializedView(\n' +
        "  mv('daily_sales_mv')\n" +
        "    .schema('analytics')\n" +
        "    .partitionBy('order_date')\n" +
        "    .distributedBy.hash('order_date', { buckets: 8 })\n" +
        "    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })\n" +
        '    .properties({ replication_num: 1 })\n' +
        '    .as(`SELECT \\`orders\\`.\\`order_date\\`, sum(\\`orders\\`.\\`amount\\`) AS total FROM \\`shop\\`.\\`orders\\` GROUP BY \\`orders\\`.\\`order_date\\``),\n' +
        ')\n' +
        "op.alterMaterializedView(alter('analytics.daily_sales_mv').refresh.manual().set({ task_priority: 3 }))\n",
    )
  })

  it('indents code but never the inside of a query', async () => {
    const o = op.createMaterializedView(mv('we`ird').refresh.manual().as('SELECT a\n  FROM t\nWHERE x = \'`\''))
    const code = renderOpsAsCode([o], { indent: '    ' })
    expect(code).toContain("    op.createMaterializedView(\n      mv('we`ird')")
    expect(code).toContain('.as(`SELECT a\n  FROM t\nWHERE x = \'\\`\'`),')
    expect(toStatements(await runCode(code))).toEqual(toStatements(o))
  })

  it('executing the rendered code yields ops that render the same SQL, for every op kind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 3 }), fc.constantFrom(...VERSIONS), async (ops, v) => {
        const code = renderOpsAsCode(ops, { indent: '    ' })
        const again = await runCode(code)
        expect(again.length).toBe(ops.length)
        expect(outcome(again, v)).toEqual(outcome(ops, v))
      }),
      { numRuns: 400 },
    )
  })
})

describe('defineMigration and the recorder', () => {
  it('records the calls of up and down in order', async () => {
    const migration = defineMigration({
      up(o) {
        o.createMaterializedView(daily)
        o.refreshMaterializedView(daily, { wait: true })
      },
      down(o) {
        o.dropMaterializedView(daily)
      },
    })
    expect((await recordOps(migration.up)).map((o) => o.kind)).toEqual(['createMaterializedView', 'refreshMaterializedView'])
    expect((await recordOps(migration.down)).map((o) => o.kind)).toEqual(['dropMaterializedView'])
  })
  it('returns the op from each recorder call, and the factories work outside migrations', () => {
    const { op: recorder, ops } = createRecorder()
    const made = recorder.execute('SELECT 1')
    expect(ops).toEqual([made])
    expect(op.execute('SELECT 1')).toEqual(made)
  })
  it('rejects a migration without up or down', () => {
    expect(() => defineMigration({ up() {} } as never)).toThrow(/both must be functions/)
  })
})
