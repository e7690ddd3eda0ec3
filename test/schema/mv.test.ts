import { describe, expect, it } from 'vitest'
import { isMaterializedView, isStarRocksMvError, mv, sql, table, toDefinition, MvDefinition } from '../../src/index.js'
import { errorOf } from '../support/error-of.js'

const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })

describe('mv()', () => {
  it('builds a frozen definition from any method order', () => {
    const a = mv('m').schema('s').refresh.manual().distributedBy.hash('k', { buckets: 2 }).as('SELECT k FROM t')
    const b = mv('m').as('SELECT k FROM t').distributedBy.hash(['k'], { buckets: 2 }).refresh.manual().schema('s')
    expect(a.definition).toEqual(b.definition)
    expect(Object.isFrozen(a)).toBe(true)
    expect(Object.isFrozen(a.definition)).toBe(true)
    expect(Object.isFrozen(a.definition.distribution)).toBe(true)
    expect(a.definition).toEqual({
      kind: 'MvDefinition',
      name: 'm',
      schema: 's',
      sync: false,
      distribution: { kind: 'hash', columns: ['k'], buckets: 2 },
      refresh: { kind: 'manual', deferred: false },
      properties: {},
      query: 'SELECT k FROM t',
      // recorded dependencies are part of migration checksums: text is read by the differ, not recorded
      dependencies: [],
    })
    expect(JSON.parse(JSON.stringify(a.definition))).toEqual(a.definition)
  })

  it('never shares state between branches', () => {
    const base = mv('m').as('SELECT 1 AS x')
    const left = base.comment('left')
    const right = base.comment('right')
    expect(base.definition.comment).toBeUndefined()
    expect(left.definition.comment).toBe('left')
    expect(right.definition.comment).toBe('right')
  })

  it('records dependencies from the sql fragment and renders as a reference in other MVs', () => {
    const daily = mv('daily').schema('analytics').refresh.manual().as(sql`SELECT ${orders.order_date}, SUM(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)
    expect(daily.definition.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
    const top = mv('top').refresh.manual().as(sql`SELECT * FROM ${daily} WHERE total > ${100}`)
    expect(top.definition.query).toBe('SELECT * FROM `analytics`.`daily` WHERE total > 100')
    expect(top.definition.dependencies).toEqual([{ schema: 'analytics', name: 'daily' }])
  })

  it('covers every CREATE clause', () => {
    const m = mv('full')
      .schema('db')
      .columns({ name: 'd', comment: 'day' }, 'total')
      .comment('Full')
      .partitionBy('d')
      .distributedBy.random({ buckets: 4 })
      .orderBy('d')
      .refresh.async({ deferred: true, every: '30 minute' })
      .properties({ partition_refresh_number: 2, storage_medium: 'SSD', force_external_table_query_rewrite: true, 'session.query_timeout': 600 })
      .as('SELECT order_date AS d, SUM(amount) AS total FROM shop.orders GROUP BY order_date')
    expect(m.toSQL({ ifNotExists: true })).toBe(
      [
        "CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.`full` (`d` COMMENT 'day', `total`)",
        "COMMENT 'Full'",
        'PARTITION BY `d`',
        'DISTRIBUTED BY RANDOM BUCKETS 4',
        'ORDER BY (`d`)',
        'REFRESH DEFERRED ASYNC EVERY (INTERVAL 30 MINUTE)',
        'PROPERTIES ("partition_refresh_number" = "2", "storage_medium" = "SSD", "force_external_table_query_rewrite" = "true", "session.query_timeout" = "600")',
        'AS SELECT order_date AS d, SUM(amount) AS total FROM shop.orders GROUP BY order_date',
      ].join('\n'),
    )
  })

  it('fails at definition time when a partition column is not in the declared column list', () => {
    const m = mv('m').columns('a').partitionBy('order_date').as('SELECT 1 AS a')
    const e = errorOf(() => m.definition)
    expect(e.code).toBe('INVALID_MV')
    expect(e.message).toBe('m: PARTITION BY uses the column "order_date", which is not in the declared column list (a). Add it to .columns(...) or use a declared column.')
  })

  it('takes a plain column name in PARTITION BY as a name, and an expression only through sql', () => {
    expect(mv('m').partitionBy('order_date').as('SELECT 1').definition.partitionBy).toEqual(['`order_date`'])
    expect(mv('m').partitionBy(sql`date_trunc('day', ${orders.order_date})`).as('SELECT 1').definition.partitionBy).toEqual(["date_trunc('day', `orders`.`order_date`)"])
    expect(mv('m').partitionBy(sql.raw("date_trunc('day', order_date)")).as('SELECT 1').definition.partitionBy).toEqual(["date_trunc('day', order_date)"])
  })

  it('takes a typed column as a bare column name', () => {
    expect(mv('m').partitionBy(orders.order_date).distributedBy.hash([orders.user_id]).orderBy(orders.id).as('SELECT 1').definition).toMatchObject({
      partitionBy: ['`order_date`'],
      distribution: { kind: 'hash', columns: ['user_id'] },
      orderBy: ['id'],
    })
  })

  it('renders a sync MV', () => {
    const m = mv('r').sync().as(sql`SELECT ${orders.user_id}, SUM(${orders.amount}) FROM ${orders} GROUP BY ${orders.user_id}`)
    expect(m.toSQL()).toBe('CREATE MATERIALIZED VIEW `r`\nAS SELECT `orders`.`user_id`, SUM(`orders`.`amount`) FROM `shop`.`orders` GROUP BY `orders`.`user_id`')
    // compile errors (the type-tests pin their messages); at run time the definition is refused too
    // @ts-expect-error a synchronous MV has no REFRESH
    expect(errorOf(() => mv('r').sync().refresh.manual().as('SELECT 1').definition).message).toMatch(/^r: a synchronous MV \(\.sync\(\)\) takes no REFRESH/)
    // @ts-expect-error a synchronous MV has no DISTRIBUTED BY
    expect(errorOf(() => mv('r').sync().distributedBy.hash('a').as('SELECT 1').definition).message).toMatch(/takes no DISTRIBUTED BY/)
  })

  it('accepts a Date start (UTC) and normalises intervals', () => {
    const m = mv('m').refresh.async({ start: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), every: { value: 2, unit: 'HOUR' } }).as('SELECT 1')
    expect(m.definition.refresh).toEqual({ kind: 'async', deferred: false, start: '2025-01-02 03:04:05', every: { value: 2, unit: 'HOUR' } })
    expect(mv('m').refresh.async({ every: '3 days' as never }).as('SELECT 1').definition.refresh).toMatchObject({ every: { value: 3, unit: 'DAY' } })
  })

  it.each([
    ['an empty name', () => mv(''), /^mv\(\): the MV name must be a non-empty string, got ""/],
    ['a long name', () => mv('n'.repeat(65)), /is 65 characters long; StarRocks allows at most 64/],
    ['a bad START', () => mv('m').refresh.async({ start: '2025-01-01T00:00:00' as never, every: '1 DAY' }), /^m: refresh START must be a time written 'yyyy-MM-dd HH:mm:ss'.*"2025-01-01T00:00:00"/],
    ['a date-only START', () => mv('m').refresh.async({ start: '2025-01-01' as never, every: '1 DAY' }), /^m: refresh START must be a time written 'yyyy-MM-dd HH:mm:ss'.*"2025-01-01"/],
    ['START with milliseconds', () => mv('m').refresh.async({ start: new Date(1500), every: '1 DAY' }), /^m: refresh START must be whole seconds/],
    ['a zero interval', () => mv('m').refresh.async({ every: '0 DAY' }), /^m: the refresh interval must be a whole number greater than 0, got 0/],
    ['a negative interval', () => mv('m').refresh.async({ every: { value: -1, unit: 'DAY' } }), /greater than 0, got -1/],
    ['an unknown unit', () => mv('m').refresh.async({ every: '1 fortnight' as never }), /unknown refresh interval unit "fortnight"/],
    ['START without every', () => mv('m').refresh.async({ start: '2025-01-01 00:00:00' }), /needs an interval/],
    ['BUCKETS 0', () => mv('m').distributedBy.hash('a', { buckets: 0 }), /^m: BUCKETS must be a whole number greater than 0, got 0/],
    ['BUCKETS -2 on random', () => mv('m').distributedBy.random({ buckets: -2 }), /got -2/],
    ['duplicate columns', () => mv('m').columns('a', 'b', 'a').as('SELECT 1').definition, /^m: the column list names the column "a" twice/],
    ['an undeclared hash column', () => mv('m').columns('a').distributedBy.hash('b').as('SELECT 1').definition, /DISTRIBUTED BY HASH uses the column "b"/],
    ['an undeclared order column', () => mv('m').columns('a').orderBy('z').as('SELECT 1').definition, /ORDER BY uses the column "z"/],
    ['a wrong property type', () => mv('m').properties({ replication_num: 'one' as never }), /^m: property "replication_num" must be a whole number, got "one"/],
    ['a wrong enum value', () => mv('m').properties({ storage_medium: 'TAPE' as never }), /property "storage_medium" must be one of "HDD", "SSD", got "TAPE"/],
    ['an unknown property', () => mv('m').properties({ my_prop: 'x' } as never), /unknown property "my_prop".*\.properties\(\{\}, \{ unknown: \{ my_prop: '...' \}, alterable: \['my_prop'\] \}\)/],
    ['an empty query', () => mv('m').as('  '), /^m: \.as\(\) got an empty query/],
    ['no query', () => (mv('m') as unknown as { definition: unknown }).definition, /^m: this materialized view has no query: call \.as\(sql`SELECT \.\.\.`\)/],
    ['a PARTITION BY expression as a string', () => mv('m').partitionBy("date_trunc('day', order_date)"), /^m: \.partitionBy\("date_trunc\('day', order_date\)"\) looks like an expression.*\.partitionBy\(sql`date_trunc\('day', \$\{orders\.order_date\}\)`\)/],
    ['a back-quoted PARTITION BY string', () => mv('m').partitionBy('`dt`'), /looks like an expression/],
    ['an absurd interval', () => mv('m').refresh.async({ every: '99999999999999999999 DAY' as never }), /^m: the refresh interval "99999999999999999999 DAY" is too large: StarRocks takes at most 2147483647/],
    ['an absurd interval object', () => mv('m').refresh.async({ every: { value: 2 ** 31, unit: 'DAY' } }), /too large: StarRocks takes at most 2147483647/],
    ['absurd BUCKETS', () => mv('m').distributedBy.hash('a', { buckets: 1e300 }), /^m: BUCKETS 1e\+300 is too large: StarRocks takes at most 2147483647/],
    ['a __proto__ property key', () => mv('m').properties({}, { unknown: { ['__proto__']: 'x' } as never }), /the property name "__proto__" is refused/],
    ['an escape-hatch number in exponent form', () => mv('m').properties({}, { unknown: { my_prop: 1e300 } }), /pass a very large or small number as a string/],
    ['an unsafe whole number', () => mv('m').properties({ replication_num: 2 ** 60 }), /between -9007199254740991 and 9007199254740991/],
  ])('rejects %s with a message naming the MV and value', (_label, f, message) => {
    const e = errorOf(f)
    expect(isStarRocksMvError(e, 'INVALID_MV')).toBe(true)
    expect(e.message).toMatch(message)
  })

  it('takes unknown properties only through the escape hatch, and records alterability', () => {
    const m = mv('m').properties({ replication_num: 1 }, { unknown: { my_prop: 'x', other: 3 }, alterable: ['my_prop'] }).as('SELECT 1')
    expect(m.definition.properties).toEqual({ replication_num: '1', my_prop: 'x', other: '3' })
    expect(m.definition.alterableProperties).toEqual(['my_prop'])
  })

  it('records intent: renamedFrom and rebuild', () => {
    const m = mv('new_name').renamedFrom('old_name').rebuild('swap').as('SELECT 1')
    expect(m.definition).toMatchObject({ renamedFrom: 'old_name', rebuild: 'swap' })
    expect(isStarRocksMvError(errorOf(() => mv('m').rebuild('later' as never)), 'INVALID_MV')).toBe(true)
  })

  it('tells complete MVs apart and converts them to definitions', () => {
    const incomplete = mv('m')
    const complete = incomplete.as('SELECT 1')
    expect(isMaterializedView(incomplete)).toBe(false)
    expect(isMaterializedView(complete)).toBe(true)
    expect(isMaterializedView({ definition: complete.definition })).toBe(false)
    expect(toDefinition(complete)).toBe(complete.definition)
    const def = MvDefinition.create({ name: 'x', query: 'SELECT 1' })
    expect(toDefinition(def)).toBe(def)
    expect(errorOf(() => toDefinition(incomplete as never)).code).toBe('INVALID_MV')
    expect(errorOf(() => toDefinition({} as never)).code).toBe('INVALID_MV')
  })
})

describe('values and columns as other tools write them', () => {
  it('takes numbers and flags as the strings the server prints, meaning the same', () => {
    const asNumbers = mv('m').refresh.manual().properties({ replication_num: 1, partition_refresh_number: -1, force_external_table_query_rewrite: true }).as('SELECT 1')
    const asText = mv('m').refresh.manual().properties({ replication_num: '1', partition_refresh_number: '-1', force_external_table_query_rewrite: 'true' }).as('SELECT 1')
    expect(asText.definition).toEqual(asNumbers.definition)
    expect(asText.toSQL()).toBe(asNumbers.toSQL())
    expect(errorOf(() => mv('m').properties({ replication_num: '1.5' as '1' })).message).toContain('property "replication_num" must be a whole number, got "1.5"')
  })

  it('takes typed columns in the column list, like the other clauses', () => {
    const m = mv('m').columns(orders.user_id, { name: 'total', comment: 'sum' }).refresh.manual().as(sql`SELECT ${orders.user_id}, SUM(${orders.amount}) FROM ${orders} GROUP BY ${orders.user_id}`)
    expect(m.definition.columns).toEqual([{ name: 'user_id' }, { name: 'total', comment: 'sum' }])
  })

  it('refuses a column-list entry with fields it would drop (a type), naming them', () => {
    const e = errorOf(() => mv('m').columns({ name: 'a', type: 'BIGINT' } as { name: string }))
    expect(e.code).toBe('INVALID_MV')
    expect(e.message).toBe('m: .columns() entry "a" has "type", which an MV\'s column list does not take: it takes names, typed columns or { name, comment } (StarRocks takes the types from the query). Remove it.')
  })
})
