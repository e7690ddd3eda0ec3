import { describe, expect, test } from 'vitest'
import { parseMaterializedView, parseMaterializedViews } from '../../src/reflect/parse-materialized-view.js'
import { MvDefinition } from '../../src/model/index.js'
import { fixtureFiles, hasShared, readFixture, SKIP_SHARED_MESSAGE } from '../support/shared.js'

const P3 = { replicated_storage: 'true', replication_num: '3', storage_medium: 'HDD' }
const P1 = { replicated_storage: 'true', replication_num: '1', storage_medium: 'HDD' }
const dep = (schema: string | undefined, name: string) => (schema === undefined ? { name } : { schema, name })
const cols = (...names: string[]) => names.map((name) => ({ name }))

const testMv1 = (refresh: NonNullable<MvDefinition['refresh']>, properties: Record<string, string>) =>
  MvDefinition.create({
    name: 'test_mv1',
    columns: cols('dt', 'sum(num)'),
    partitionBy: ['`dt`'],
    distribution: { kind: 'random' },
    refresh,
    properties,
    query: 'SELECT `t1`.`dt`, sum(`t1`.`num`) AS `sum(num)`\nFROM `test_create_mv_with_properties`.`t1`\nGROUP BY `t1`.`dt`',
    dependencies: [dep('test_create_mv_with_properties', 't1')],
  })

/** Every value of every show-create fixture, written out. */
const SHOW_CREATE: Record<string, MvDefinition> = {
  '01.sql': MvDefinition.create({
    name: 'user_tags_mv1',
    columns: cols('user_id', 'bitmap_union(to_bitmap(tag_id))'),
    distribution: { kind: 'hash', columns: ['user_id'] },
    refresh: { kind: 'manual', deferred: true },
    properties: P3,
    query: 'select user_id, bitmap_union(to_bitmap(tag_id)) from user_tags group by user_id',
    dependencies: [dep(undefined, 'user_tags')],
  }),
  '02.sql': testMv1({ kind: 'manual', deferred: true }, { ...P1, task_priority: '100', task_retry_attempts: '3' }),
  '03.sql': testMv1({ kind: 'manual', deferred: true }, { ...P1, task_priority: '20', task_retry_attempts: '10' }),
  '04.sql': testMv1(
    { kind: 'async', deferred: true },
    { ...P1, event_trigger_delay_period: '1 minute', task_priority: '100', task_retry_attempts: '3' },
  ),
  '05.sql': MvDefinition.create({
    name: 'mv1',
    columns: cols('k1', 'v1'),
    distribution: { kind: 'random' },
    refresh: { kind: 'async', deferred: false },
    properties: P1,
    query: 'SELECT `t0`.`k1`, `t1`.`v1`\nFROM `test_create_mv`.`t_hash` AS `t0` INNER JOIN `test_create_mv`.`t_random` AS `t1` ON `t0`.`k1` = `t1`.`k1`',
    dependencies: [dep('test_create_mv', 't_hash'), dep('test_create_mv', 't_random')],
  }),
  '06.sql': MvDefinition.create({
    name: 'mv2',
    columns: cols('k1', 'count(v1)'),
    distribution: { kind: 'random' },
    refresh: { kind: 'async', deferred: false },
    properties: P1,
    query: 'SELECT `t_random`.`k1`, count(`t_random`.`v1`) AS `count(v1)`\nFROM `test_create_mv`.`t_random`\nGROUP BY `t_random`.`k1`',
    dependencies: [dep('test_create_mv', 't_random')],
  }),
  '07.sql': MvDefinition.create({
    name: 'mv_on_view_1',
    columns: cols('event_day', 'sum_pv'),
    distribution: { kind: 'random' },
    refresh: { kind: 'async', deferred: false },
    properties: P1,
    query: 'SELECT `db_mv_on_view`.`view1`.`event_day`, `db_mv_on_view`.`view1`.`sum_pv`\nFROM `db_mv_on_view`.`view1`',
    dependencies: [dep('db_mv_on_view', 'view1')],
  }),
  '08.sql': MvDefinition.create({
    name: 'lo_mv1',
    distribution: { kind: 'hash', columns: ['lo_orderkey'] },
    refresh: { kind: 'async', deferred: false },
    properties: { replication_num: '3', storage_medium: 'HDD' },
    query:
      'SELECT `wlc_test`.`lineorder`.`lo_orderkey` AS `lo_orderkey`, `wlc_test`.`lineorder`.`lo_custkey` AS `lo_custkey`, ' +
      'sum(`wlc_test`.`lineorder`.`lo_quantity`) AS `total_quantity`, sum(`wlc_test`.`lineorder`.`lo_revenue`) AS `total_revenue`, ' +
      'count(`wlc_test`.`lineorder`.`lo_shipmode`) AS `shipmode_count` FROM `wlc_test`.`lineorder` GROUP BY ' +
      '`wlc_test`.`lineorder`.`lo_orderkey`, `wlc_test`.`lineorder`.`lo_custkey` ORDER BY `wlc_test`.`lineorder`.`lo_orderkey` ASC',
    dependencies: [dep('wlc_test', 'lineorder')],
  }),
  '09.sql': MvDefinition.create({
    name: 'customer_mv',
    distribution: { kind: 'hash', columns: ['c_custkey'] },
    refresh: { kind: 'manual', deferred: false },
    properties: { replication_num: '3', storage_medium: 'HDD' },
    query:
      'SELECT `customer`.`c_custkey`, `customer`.`c_phone`, `customer`.`c_acctbal`, count(1) AS `c_count`, sum(`customer`.`c_acctbal`) AS `c_sum`\n' +
      'FROM `test`.`customer`\nGROUP BY `customer`.`c_custkey`, `customer`.`c_phone`, `customer`.`c_acctbal`',
    dependencies: [dep('test', 'customer')],
  }),
  '10.sql': MvDefinition.create({
    name: 'lo_mv_sync_2',
    sync: true,
    query:
      'select lo_orderkey, lo_orderdate, lo_custkey, sum(lo_quantity) as total_quantity, sum(lo_revenue) as total_revenue, ' +
      'count(lo_shipmode) as shipmode_count from lineorder group by lo_orderkey, lo_orderdate, lo_custkey',
    dependencies: [dep(undefined, 'lineorder')],
  }),
  '11.sql': MvDefinition.create({
    name: 'mv5',
    columns: cols('k1', 'v1', 'v2'),
    partitionBy: ['`k1`'],
    distribution: { kind: 'hash', columns: ['k1'], buckets: 2 },
    refresh: { kind: 'async', deferred: false },
    properties: P1,
    query: 'SELECT `t1`.`k1`, `t1`.`v1`, `t1`.`v2`\nFROM `test_create_mv`.`t1` UNION ALL SELECT `t2`.`k1`, `t2`.`v1`, `t2`.`v2`\nFROM `test_create_mv`.`t2`',
    dependencies: [dep('test_create_mv', 't1'), dep('test_create_mv', 't2')],
  }),
}

describe.skipIf(!hasShared)('show-create fixtures (real server output)', () => {
  if (!hasShared) console.warn(SKIP_SHARED_MESSAGE)

  test('every fixture has its expected values written out here', () => {
    expect(Object.keys(SHOW_CREATE).sort()).toEqual(fixtureFiles('show-create'))
  })

  test.each(fixtureFiles('show-create'))('%s parses to its exact definition', (file) => {
    expect(parseMaterializedView(readFixture('show-create', file))).toEqual(SHOW_CREATE[file])
  })
})

describe.skipIf(!hasShared)('pairs and rewrites fixtures', () => {
  const files = [...fixtureFiles('pairs').map((f) => ['pairs', f]), ...fixtureFiles('rewrites').map((f) => ['rewrites', f])]
    .filter(([, f]) => !(f as string).includes('.alters.'))

  test.each(files)('%s/%s holds exactly one materialized view that parses', (sub, file) => {
    const mvs = parseMaterializedViews(readFixture(sub as string, file as string))
    expect(mvs).toHaveLength(1)
  })

  test('server files carry the values the server printed', () => {
    const p05 = parseMaterializedView(readFixture('pairs', '05.server.sql'))
    expect(p05).toMatchObject({ name: 'mv5', partitionBy: ['`k1`'], distribution: { kind: 'hash', columns: ['k1'], buckets: 2 } })
    const r20 = parseMaterializedView(readFixture('rewrites', '020.server.sql'))
    expect(r20.refresh).toEqual({ kind: 'async', deferred: false, start: '2122-12-31 00:00:00', every: { value: 1, unit: 'HOUR' } })
    expect(r20.partitionBy).toEqual(["date_trunc('month', `k3`)"])
    expect(r20.properties).toEqual({
      replication_num: '1', replicated_storage: 'true', storage_medium: 'SSD', storage_cooldown_time: '2122-12-31 23:59:59',
    })
    const old = parseMaterializedView(readFixture('rewrites', '019.server.old-36160738.sql'))
    expect(old.comment).toBeUndefined()
    expect(old.columns).toBeUndefined()
    expect(old.partitionBy).toEqual(["date_trunc('month', `k1`)"])
    const r23 = parseMaterializedView(readFixture('rewrites', '023.server.sql'))
    expect(r23.properties.foreign_key_constraints).toBe('default_catalog.test.tbl1(k1) REFERENCES default_catalog.test.tbl2(k1)')
    expect(r23.dependencies).toEqual([dep('test', 'tbl1'), dep('test', 'tbl2')])
    const r13 = parseMaterializedView(readFixture('rewrites', '013.server.08e7229e.sql'))
    expect(r13.query).toBe('SELECT * from t1')
    expect(r13.properties.bloom_filter_columns).toBe('c1, c2')
  })

  test('user statements (lowercase, no spaces, user spellings) read the same as what the server printed', () => {
    const same = (user: string, server: string, fields: readonly (keyof MvDefinition)[]) => {
      const u = parseMaterializedViews(readFixture('rewrites', user))[0] as MvDefinition
      const s = parseMaterializedView(readFixture('rewrites', server))
      for (const f of fields) expect([f, u[f]]).toEqual([f, s[f]])
    }
    // `partition by dt`, `date_trunc('month',k1)distributed`, `(date_trunc('month',k3))distributed`, `)as select`
    same('018.user.sql', '018.server.sql', ['name', 'partitionBy', 'distribution', 'refresh'])
    same('019.user.sql', '019.server.sql', ['name', 'partitionBy', 'distribution', 'refresh'])
    same('020.user.sql', '020.server.sql', ['name', 'partitionBy', 'distribution', 'properties'])
    same('022.user.sql', '022.server.sql', ['name', 'partitionBy', 'distribution', 'refresh'])
    same('011.user.sql', '011.server.sql', ['name', 'distribution', 'refresh', 'query'])
    same('007.user.54c6e575.sql', '007.server.sql', ['name', 'partitionBy', 'refresh'])

    const u20 = parseMaterializedViews(readFixture('rewrites', '020.user.sql'))[0] as MvDefinition
    expect(u20.refresh).toEqual({ kind: 'async', deferred: false, start: '2122-12-31', every: { value: 1, unit: 'HOUR' } })
    expect(u20.query).toBe('select k1 as k3, k2 from tbl1')
    const u23 = parseMaterializedViews(readFixture('rewrites', '023.user.sql'))[0] as MvDefinition
    expect(u23.properties).toEqual({ unique_constraints: 'tbl2.k1', foreign_key_constraints: 'tbl1(k1) REFERENCES tbl2(k1)' })
    // DISTRIBUTED BY without REFRESH: asynchronous, refresh left to the server's default
    const u09 = parseMaterializedViews(readFixture('rewrites', '009.user.sql'))[0] as MvDefinition
    expect(u09.sync).toBe(false)
    expect(u09.refresh).toBeUndefined()
  })

  test('USE in a user script sets the database of the MV that follows', () => {
    const [mv] = parseMaterializedViews(readFixture('pairs', '03.user.sql'))
    expect(mv).toMatchObject({ name: 'mv1', schema: 'test_create_mv', refresh: { kind: 'async', deferred: false } })
    expect(mv?.dependencies).toEqual([dep(undefined, 't_hash'), dep(undefined, 't_random')])
    expect(mv?.query).toBe('select t0.k1, t1.v1\nfrom t_hash t0 join t_random t1 on t0.k1 = t1.k1')
  })
})
