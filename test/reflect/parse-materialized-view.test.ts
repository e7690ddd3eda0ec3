import { describe, expect, test } from 'vitest'
import { parseMaterializedView, parseMaterializedViews } from '../../src/reflect/parse-materialized-view.js'
import { parseCreateTable } from '../../src/reflect/parse-table.js'
import { parseCreateView } from '../../src/reflect/parse-view.js'
import { queryDependencies } from '../../src/reflect/query-dependencies.js'
import { StarRocksMvError } from '../../src/errors.js'

const parse = parseMaterializedView

const parseFailure = (ddl: string): StarRocksMvError => {
  try {
    parse(ddl)
  } catch (e) {
    expect(e).toBeInstanceOf(StarRocksMvError)
    expect((e as StarRocksMvError).code).toBe('PARSE_ERROR')
    return e as StarRocksMvError
  }
  throw new Error(`expected a parse error for: ${ddl}`)
}

describe('clauses', () => {
  test('clauses in any order and any case give the same definition', () => {
    const a = parse(
      "CREATE MATERIALIZED VIEW m COMMENT 'c' PARTITION BY dt DISTRIBUTED BY HASH(k) BUCKETS 4 ORDER BY (k, dt) REFRESH ASYNC EVERY(INTERVAL 1 DAY) PROPERTIES ('a' = 'b') AS SELECT 1",
    )
    const b = parse(
      "create materialized view m properties (\"a\"=\"b\") refresh async every (interval 1 day) order by (k,dt) distributed by hash(`k`) buckets 4 partition by (`dt`) comment \"c\" as SELECT 1",
    )
    expect(b).toEqual(a)
    expect(a).toMatchObject({
      comment: 'c',
      partitionBy: ['`dt`'],
      distribution: { kind: 'hash', columns: ['k'], buckets: 4 },
      orderBy: ['k', 'dt'],
      refresh: { kind: 'async', deferred: false, every: { value: 1, unit: 'DAY' } },
      properties: { a: 'b' },
      query: 'SELECT 1',
      sync: false,
    })
  })

  test('IF NOT EXISTS and a database-qualified name', () => {
    const d = parse('CREATE MATERIALIZED VIEW IF NOT EXISTS `shop`.`daily mv` REFRESH MANUAL AS SELECT 1')
    expect(d).toMatchObject({ name: 'daily mv', schema: 'shop', refresh: { kind: 'manual', deferred: false } })
    expect(parse('CREATE MATERIALIZED VIEW default_catalog.shop.m REFRESH MANUAL AS SELECT 1')).toMatchObject({ name: 'm', schema: 'shop' })
  })

  test('column lists: bare, back-quoted, with comments, with old expression entries', () => {
    expect(parse('CREATE MATERIALIZED VIEW m (k1, count(v1)) REFRESH ASYNC AS SELECT 1').columns).toEqual([
      { name: 'k1' },
      { name: 'count(v1)' },
    ])
    expect(
      parse("CREATE MATERIALIZED VIEW m (`k1` COMMENT \"the key\", `a``b`, v COMMENT 'it\\'s') REFRESH ASYNC AS SELECT 1").columns,
    ).toEqual([{ name: 'k1', comment: 'the key' }, { name: 'a`b' }, { name: 'v', comment: "it's" }])
    expect(
      parse('CREATE MATERIALIZED VIEW m (`k1`, INDEX idx_k1 (`k1`) USING BITMAP COMMENT "") REFRESH ASYNC AS SELECT 1').columns,
    ).toEqual([{ name: 'k1' }])
  })

  test('the default COMMENT "MATERIALIZED_VIEW" is no comment; a real comment is kept with escapes undone', () => {
    expect(parse('CREATE MATERIALIZED VIEW m COMMENT "MATERIALIZED_VIEW" REFRESH ASYNC AS SELECT 1').comment).toBeUndefined()
    expect(parse('CREATE MATERIALIZED VIEW m COMMENT "say \\"hi\\"\\n" REFRESH ASYNC AS SELECT 1').comment).toBe('say "hi"\n')
  })

  test('DISTRIBUTED BY RANDOM with and without buckets, and BUCKETS n with a trailing space', () => {
    expect(parse('CREATE MATERIALIZED VIEW m DISTRIBUTED BY RANDOM AS SELECT 1').distribution).toEqual({ kind: 'random' })
    expect(parse('CREATE MATERIALIZED VIEW m DISTRIBUTED BY RANDOM BUCKETS 8 AS SELECT 1').distribution).toEqual({ kind: 'random', buckets: 8 })
    expect(parse('CREATE MATERIALIZED VIEW m DISTRIBUTED BY HASH(`a`, `b`) BUCKETS 10 \nREFRESH MANUAL AS SELECT 1').distribution).toEqual({
      kind: 'hash', columns: ['a', 'b'], buckets: 10,
    })
  })

  test('ORDER BY without parentheses', () => {
    expect(parse('CREATE MATERIALIZED VIEW m ORDER BY a, `b` REFRESH MANUAL AS SELECT 1').orderBy).toEqual(['a', 'b'])
  })

  test('properties: values as strings, the last of a repeated key wins', () => {
    expect(
      parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL PROPERTIES ("replication_num" = "1", "session.query_timeout" = 600, \'x\' = "a\\\\b", "x" = "c") AS SELECT 1')
        .properties,
    ).toEqual({ replication_num: '1', 'session.query_timeout': '600', x: 'c' })
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL PROPERTIES ("p" = "a\\\\b") AS SELECT 1').properties).toEqual({ p: 'a\\b' })
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL PROPERTIES () AS SELECT 1').properties).toEqual({})
  })
})

describe('PARTITION BY', () => {
  const pb = (clause: string) => parse(`CREATE MATERIALIZED VIEW m PARTITION BY ${clause} REFRESH MANUAL AS SELECT 1`).partitionBy

  test('a column, bare, back-quoted or parenthesised, is stored back-quoted', () => {
    expect(pb('dt')).toEqual(['`dt`'])
    expect(pb('`dt`')).toEqual(['`dt`'])
    expect(pb('(`dt`)')).toEqual(['`dt`'])
    expect(pb('`we``ird`')).toEqual(['`we``ird`'])
  })

  test('expressions are re-emitted in one canonical spelling', () => {
    expect(pb("date_trunc('month',k1)")).toEqual(["date_trunc('month', `k1`)"])
    expect(pb("DATE_TRUNC( 'month' , `k1` )")).toEqual(["date_trunc('month', `k1`)"])
    expect(pb("(date_trunc(\"day\", k1))")).toEqual(["date_trunc('day', `k1`)"])
    expect(pb("str2date(dt, '%Y%m%d')")).toEqual(["str2date(`dt`, '%Y%m%d')"])
    expect(pb('time_slice(dt, interval 1 day)')).toEqual(['time_slice(`dt`, INTERVAL 1 DAY)'])
    // a keyword-like word alone as the expression or as an argument is a column
    expect(pb('day')).toEqual(['`day`'])
    expect(pb("date_trunc('day', day)")).toEqual(["date_trunc('day', `day`)"])
    expect(pb('coalesce(dt, NULL)')).toEqual(['coalesce(`dt`, NULL)'])
  })

  test('CAST(x AS DATE) is not cut at AS', () => {
    expect(pb('CAST(dt AS DATE)')).toEqual(['CAST(`dt` AS DATE)'])
    expect(pb('cast(`dt` as date)')).toEqual(['CAST(`dt` AS DATE)'])
  })

  test('(a, b) gives two entries; a trailing clause without a space still ends the expression', () => {
    expect(pb('(a, `b`)')).toEqual(['`a`', '`b`'])
    const d = parse("create materialized view mv3 partition by date_trunc('month',k1)distributed by hash(k3) buckets 10 refresh manual as select k1 from tbl1")
    expect(d.partitionBy).toEqual(["date_trunc('month', `k1`)"])
    expect(d.distribution).toEqual({ kind: 'hash', columns: ['k3'], buckets: 10 })
  })
})

describe('REFRESH', () => {
  const refresh = (clause: string) => parse(`CREATE MATERIALIZED VIEW m DISTRIBUTED BY RANDOM REFRESH ${clause} AS SELECT 1`).refresh

  test('every spelling of every version', () => {
    expect(refresh('ASYNC')).toEqual({ kind: 'async', deferred: false })
    expect(refresh('IMMEDIATE ASYNC')).toEqual({ kind: 'async', deferred: false })
    expect(refresh('DEFERRED ASYNC')).toEqual({ kind: 'async', deferred: true })
    expect(refresh('MANUAL')).toEqual({ kind: 'manual', deferred: false })
    expect(refresh('DEFERRED MANUAL')).toEqual({ kind: 'manual', deferred: true })
    expect(refresh('ON_CHANGE')).toEqual({ kind: 'async', deferred: false })
    expect(refresh('deferred on_change')).toEqual({ kind: 'async', deferred: true })
    expect(refresh('ASYNC EVERY(INTERVAL 30 MINUTE)')).toEqual({ kind: 'async', deferred: false, every: { value: 30, unit: 'MINUTE' } })
    expect(refresh('ASYNC START("2023-07-01 10:00:00") EVERY(INTERVAL 1 DAY)')).toEqual({
      kind: 'async', deferred: false, start: '2023-07-01 10:00:00', every: { value: 1, unit: 'DAY' },
    })
    expect(refresh("async start('2122-12-31') every (interval 2 week)")).toEqual({
      kind: 'async', deferred: false, start: '2122-12-31', every: { value: 2, unit: 'WEEK' },
    })
    expect(refresh('DEFERRED SCHEDULE START("2023-07-01 10:00:00") EVERY(INTERVAL 1 HOUR)')).toEqual({
      kind: 'async', deferred: true, start: '2023-07-01 10:00:00', every: { value: 1, unit: 'HOUR' },
    })
    expect(refresh('SCHEDULE EVERY(INTERVAL 1 MONTH)')).toEqual({ kind: 'async', deferred: false, every: { value: 1, unit: 'MONTH' } })
  })

  test('sync MVs: REFRESH SYNC, or neither REFRESH nor DISTRIBUTED BY', () => {
    const old = parse('CREATE MATERIALIZED VIEW lo_mv_sync_2 REFRESH SYNC AS select a from lineorder')
    expect(old.sync).toBe(true)
    expect(old.refresh).toBeUndefined()
    const rollup = parse("CREATE MATERIALIZED VIEW IF NOT EXISTS s COMMENT 'r' PROPERTIES ('x' = '1') AS SELECT k, sum(v) FROM t GROUP BY k;")
    expect(rollup).toMatchObject({ sync: true, comment: 'r', properties: { x: '1' }, query: 'SELECT k, sum(v) FROM t GROUP BY k' })
    // ORDER BY alone does not make an async MV (StarRocks's rule looks at REFRESH and DISTRIBUTED BY only)
    expect(parse('CREATE MATERIALIZED VIEW s ORDER BY (k) AS SELECT k FROM t').sync).toBe(true)
    expect(parse('CREATE MATERIALIZED VIEW s DISTRIBUTED BY HASH(k) AS SELECT k FROM t').sync).toBe(false)
    expect(parse('CREATE MATERIALIZED VIEW s REFRESH MANUAL AS SELECT k FROM t').sync).toBe(false)
  })
})

describe('query text', () => {
  test('trimmed, without the trailing ; or the old " ;", kept as written otherwise', () => {
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT a FROM t ORDER BY a ASC ;').query).toBe('SELECT a FROM t ORDER BY a ASC')
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL AS\n  SELECT a\n  FROM t;\n\n').query).toBe('SELECT a\n  FROM t')
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL)as select 1'.replace(')', ' ')).query).toBe('select 1')
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL PROPERTIES("a"="b")as select 1').query).toBe('select 1')
    expect(parse('CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT 1 -- trailing note\n;').query).toBe('SELECT 1')
  })

  test('quotes and comments never end a clause or the statement', () => {
    const d = parse(
      "-- header comment; with AS SELECT inside\nCREATE MATERIALIZED VIEW m COMMENT ' AS SELECT ; ' /* AS */ REFRESH MANUAL AS SELECT ' AS SELECT ;' AS x, \"a;b\" FROM t",
    )
    expect(d.comment).toBe(' AS SELECT ; ')
    expect(d.query).toBe("SELECT ' AS SELECT ;' AS x, \"a;b\" FROM t")
  })

  test('parseMaterializedViews reads every MV of a script and skips other statements', () => {
    const mvs = parseMaterializedViews(
      'CREATE DATABASE d; USE d; CREATE TABLE t (a INT); CREATE MATERIALIZED VIEW a REFRESH MANUAL AS SELECT a FROM t; CREATE MATERIALIZED VIEW other.b REFRESH MANUAL AS SELECT a FROM t;',
    )
    expect(mvs.map((m) => [m.schema, m.name])).toEqual([['d', 'a'], ['other', 'b']])
  })
})

describe('dependencies (best effort, from FROM and JOIN)', () => {
  test('qualified and unqualified names, joins, comma joins, subqueries', () => {
    expect(
      queryDependencies(
        'SELECT * FROM a.t1 x JOIN `b`.`t 2` AS y ON x.k = y.k LEFT OUTER JOIN t3 USING (k), t4, (SELECT k FROM c.t5) s WHERE k IN (SELECT k FROM t6)',
      ),
    ).toEqual([
      { schema: 'a', name: 't1' }, { schema: 'b', name: 't 2' }, { name: 't3' }, { name: 't4' }, { schema: 'c', name: 't5' }, { name: 't6' },
    ])
  })

  test('catalog-qualified names keep their catalog; CTEs, table functions, EXTRACT(... FROM ...) and strings are not tables', () => {
    expect(
      queryDependencies(
        "WITH w AS (SELECT k FROM base), v (c) AS (SELECT 1) SELECT EXTRACT(YEAR FROM dt), 'FROM fake' FROM w, hive.sales.orders o, TABLE(generate_series(1, 3)) g, unnest(arr) u JOIN v ON true",
      ),
    ).toEqual([{ name: 'base' }, { catalog: 'hive', schema: 'sales', name: 'orders' }])
  })

  test('duplicates are listed once', () => {
    expect(queryDependencies('SELECT * FROM t JOIN t AS t2 ON 1 = 1 UNION ALL SELECT * FROM d.t')).toEqual([{ name: 't' }, { schema: 'd', name: 't' }])
  })
})

describe('malformed input', () => {
  test('an empty back-quoted name is a parse error wherever it stands, in views and tables too', () => {
    // the damaged-statement property's counterexample: a stray back quote after PARTITION BY pairs
    // with the next one, and `a``b` then holds an empty name, which escaped as a TypeError
    const ddl =
      'CREATE MATERIALIZED VIEW `"q"` (`AS` COMMENT "  ") REFRESH ASYNC START("2122-12-31") EVERY(INTERVAL 1 MONTH) ' +
      'PARTITION BY (date_trunc("day", k_0_00), date_trunc("day", k_0_a0a0_)) ORDER BY (`a``b`, `with space`, `AS`) ' +
      'PROPERTIES ( "session.query_timeout" = "    ` # " ) DISTRIBUTED BY HASH(`a00a`) BUCKETS 100 AS SELECT k, \' AS SELECT ;\' AS s FROM db1.t1;'
    const damaged = `${ddl.slice(0, 121)}\`${ddl.slice(121)}`
    expect(parseFailure(damaged).message).toContain('expected a name inside the back quotes (`` is empty), found "``"')
    expect(parseFailure('CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT `` FROM t').details).toMatchObject({ line: 1, column: 53 })
    for (const parseOther of [parseCreateView, parseCreateTable] as ((ddl: string) => unknown)[]) {
      const ddl = parseOther === parseCreateView ? 'CREATE VIEW v AS SELECT `` FROM t' : 'CREATE TABLE `` (a INT) DISTRIBUTED BY HASH(a)'
      expect(() => parseOther(ddl)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }))
    }
  })

  test('errors name the line, the column, what was expected and what was found', () => {
    const e = parseFailure('CREATE MATERIALIZED VIEW m\nREFRESH DEFERRED\nAS SELECT 1')
    expect(e.message).toBe(
      'Cannot parse CREATE MATERIALIZED VIEW at line 3, column 1: expected a refresh scheme (ASYNC, SCHEDULE, ON_CHANGE or MANUAL), found "AS". ' +
        'Check the statement against the StarRocks CREATE MATERIALIZED VIEW syntax.',
    )
    expect(e.details).toMatchObject({ line: 3, column: 1, found: 'AS' })
  })

  test.each([
    ['CREATE TABLE t (a INT)', 'MATERIALIZED VIEW after CREATE', 1, 8],
    ['CREATE OR REPLACE MATERIALIZED VIEW m AS SELECT 1', 'no CREATE OR REPLACE', 1, 8],
    ['CREATE MATERIALIZED VIEW m REFRESH MANUAL', 'a clause', 1, 42],
    ['CREATE MATERIALIZED VIEW m REFRESH MANUAL AS', 'the query after AS', 1, 45],
    ['CREATE MATERIALIZED VIEW m REFRESH MANUAL REFRESH ASYNC AS SELECT 1', 'REFRESH is repeated', 1, 43],
    ['CREATE MATERIALIZED VIEW m DISTRIBUTED BY LIST(a) AS SELECT 1', 'HASH(...) or RANDOM', 1, 43],
    ['CREATE MATERIALIZED VIEW m DISTRIBUTED BY HASH(a) BUCKETS x AS SELECT 1', 'a whole number of buckets', 1, 59],
    ['CREATE MATERIALIZED VIEW m REFRESH ASYNC EVERY(INTERVAL 1 FORTNIGHT) AS SELECT 1', 'an interval unit', 1, 59],
    ['CREATE MATERIALIZED VIEW m REFRESH SCHEDULE AS SELECT 1', 'EVERY(INTERVAL n unit) after SCHEDULE', 1, 45],
    ['CREATE MATERIALIZED VIEW m PARTITION BY REFRESH MANUAL AS SELECT 1', 'a partition column', 1, 41],
    ['CREATE MATERIALIZED VIEW m REFRESH MANUAL PROPERTIES ("a" "b") AS SELECT 1', '"=" after the property name', 1, 59],
    ['CREATE MATERIALIZED VIEW m (a, ) REFRESH MANUAL AS SELECT 1', 'a column name', 1, 32],
    ["CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT 'open", 'Unterminated single-quoted string', 1, 53],
    ['CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT 1; SELECT 2', 'use parseMaterializedViews', 1, 56],
    ['', 'CREATE MATERIALIZED VIEW', 1, 1],
  ])('%s', (ddl, expected, line, column) => {
    const e = parseFailure(ddl)
    expect(e.message).toContain(expected)
    expect(e.details).toMatchObject({ line, column })
  })

  test('PARTITION BY on what the syntax makes a sync MV is refused with the way out', () => {
    const e = parseFailure('CREATE MATERIALIZED VIEW m PARTITION BY dt AS SELECT dt FROM t')
    expect(e.message).toContain('Add a REFRESH or DISTRIBUTED BY clause')
  })
})
