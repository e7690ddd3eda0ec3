import { describe, expect, it } from 'vitest'
import { isStarRocksMvError } from '../../src/errors.js'
import { canonicalColumnType } from '../../src/model/index.js'
import { parseCreateTable, splitStatements } from '../../src/reflect/index.js'
import { fixtureFiles, hasShared, readFixture } from '../support/shared.js'

// SHOW CREATE TABLE output as StarRocks printed it, from StarRocks's SHOW CREATE TABLE documentation
// (docs/en/sql-reference/sql-statements/table_bucket_part_index/SHOW_CREATE_TABLE.md).
const DOCS_AGGREGATE = `CREATE TABLE \`example_table1\` (
  \`k1\` tinyint(4) NULL COMMENT "",
  \`k2\` decimal64(10, 2) NULL DEFAULT "10.5" COMMENT "",
  \`v1\` char(10) REPLACE NULL COMMENT "",
  \`v2\` int(11) SUM NULL COMMENT ""
) ENGINE=OLAP 
AGGREGATE KEY(\`k1\`, \`k2\`)
COMMENT "my first starrocks table"
DISTRIBUTED BY HASH(\`k1\`) BUCKETS 10 
PROPERTIES (
"replication_num" = "3",
"in_memory" = "false",
"enable_persistent_index" = "false",
"replicated_storage" = "true",
"compression" = "LZ4"
);`

// Printed by a 3.3+ server (properties sorted, fast_schema_evolution present, RANDOM added).
const PRINTED_RANDOM = `CREATE TABLE \`employees\` (
  \`employee_id\` int(11) NULL COMMENT "",
  \`name\` varchar(100) NULL COMMENT "",
  \`manager_id\` int(11) NULL COMMENT "",
  \`title\` varchar(50) NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(\`employee_id\`)
DISTRIBUTED BY RANDOM
PROPERTIES (
"compression" = "LZ4",
"fast_schema_evolution" = "true",
"replicated_storage" = "true",
"replication_num" = "1"
);`

// Printed with folded bitmap indexes, RANGE partitions and a CURRENT_TIMESTAMP default.
const PRINTED_RANGE = `CREATE TABLE \`ads_metrics\` (
  \`dt\` date NOT NULL COMMENT "day",
  \`user_id\` bigint(20) NOT NULL COMMENT "",
  \`spend\` decimal(20, 6) NULL COMMENT "amount",
  \`etl_time\` datetime NULL DEFAULT CURRENT_TIMESTAMP COMMENT "etl time",
  INDEX index_user (\`user_id\`) USING BITMAP COMMENT 'by user'
) ENGINE=OLAP 
PRIMARY KEY(\`dt\`, \`user_id\`)
COMMENT "metrics"
PARTITION BY RANGE(\`dt\`)
(PARTITION p20260509 VALUES [("2026-05-09"), ("2026-05-10")),
PARTITION p20260510 VALUES [("2026-05-10"), ("2026-05-11")))
DISTRIBUTED BY HASH(\`dt\`, \`user_id\`) BUCKETS 20 
PROPERTIES (
"replication_num" = "3",
"in_memory" = "false",
"enable_persistent_index" = "true",
"replicated_storage" = "true",
"compression" = "LZ4"
);`

describe('parseCreateTable: what servers print', () => {
  it('reads the aggregate-key example of the SHOW CREATE TABLE docs', () => {
    const t = parseCreateTable(DOCS_AGGREGATE)
    expect(t.name).toBe('example_table1')
    expect(t.columns).toEqual([
      { name: 'k1', type: 'TINYINT', nullable: true },
      { name: 'k2', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '10.5' } },
      { name: 'v1', type: 'CHAR(10)', nullable: true, aggregate: 'REPLACE' },
      { name: 'v2', type: 'INT', nullable: true, aggregate: 'SUM' },
    ])
    expect(t.key).toEqual({ model: 'AGGREGATE', columns: ['k1', 'k2'] })
    expect(t.comment).toBe('my first starrocks table')
    expect(t.distribution).toEqual({ kind: 'hash', columns: ['k1'], buckets: 10 })
    expect(t.properties).toEqual({ replication_num: '3', in_memory: 'false', enable_persistent_index: 'false', replicated_storage: 'true', compression: 'LZ4' })
  })

  it('reads RANDOM distribution and sorted default properties of 3.3+ servers', () => {
    const t = parseCreateTable(PRINTED_RANDOM)
    expect(t.key).toEqual({ model: 'DUPLICATE', columns: ['employee_id'] })
    expect(t.distribution).toEqual({ kind: 'random' })
    expect(t.columns.map((c) => c.type)).toEqual(['INT', 'VARCHAR(100)', 'INT', 'VARCHAR(50)'])
  })

  it('reads folded indexes, RANGE partitions and a CURRENT_TIMESTAMP default', () => {
    const t = parseCreateTable(PRINTED_RANGE)
    expect(t.indexes).toEqual([{ name: 'index_user', columns: ['user_id'], using: 'BITMAP', comment: 'by user' }])
    expect(t.partitionBy).toEqual({
      kind: 'range', columns: ['dt'], partitions: [
        { name: 'p20260509', lower: ['2026-05-09'], upper: ['2026-05-10'] },
        { name: 'p20260510', lower: ['2026-05-10'], upper: ['2026-05-11'] },
      ],
    })
    expect(t.columns[3]).toEqual({ name: 'etl_time', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' }, comment: 'etl time' })
    expect(t.columns[0]?.comment).toBe('day')
  })

  it('reads expression partitioning, LIST partitions, ORDER BY and index properties', () => {
    const t = parseCreateTable(`CREATE TABLE IF NOT EXISTS shop.t (
      a INT NOT NULL, dt DATETIME NOT NULL, city VARCHAR(20), body STRING,
      INDEX ix (body) USING NGRAMBF ("gram_num" = "4", "bloom_filter_fpp" = "0.05") COMMENT ''
    ) PRIMARY KEY (a, dt) PARTITION BY date_trunc('DAY', dt) DISTRIBUTED BY HASH(a) ORDER BY (city, a) PROPERTIES ("replication_num" = "1");`)
    expect(t.schema).toBe('shop')
    expect(t.partitionBy).toEqual({ kind: 'expression', expressions: ["date_trunc('DAY', `dt`)"] })
    expect(t.orderBy).toEqual(['city', 'a'])
    expect(t.indexes).toEqual([{ name: 'ix', columns: ['body'], using: 'NGRAMBF', properties: { gram_num: '4', bloom_filter_fpp: '0.05' } }])
    const l = parseCreateTable(`CREATE TABLE t (city VARCHAR(20) NOT NULL, dt DATE NOT NULL) PARTITION BY LIST (city, dt) (
      PARTITION p1 VALUES IN (("Los Angeles", "2024-01-01"), ("San Francisco", "2024-01-01")),
      PARTITION p2 VALUES IN (("New York", "2024-01-01")))`)
    expect(l.partitionBy).toEqual({ kind: 'list', columns: ['city', 'dt'], partitions: [
      { name: 'p1', values: [['Los Angeles', '2024-01-01'], ['San Francisco', '2024-01-01']] },
      { name: 'p2', values: [['New York', '2024-01-01']] },
    ] })
    const single = parseCreateTable('CREATE TABLE t (city VARCHAR(20) NOT NULL) PARTITION BY LIST (city) (PARTITION p1 VALUES IN ("a", "b"))')
    expect(single.partitionBy).toEqual({ kind: 'list', columns: ['city'], partitions: [{ name: 'p1', values: [['a'], ['b']] }] })
    const cols = parseCreateTable('CREATE TABLE t (region VARCHAR(8) NOT NULL, dt DATE NOT NULL) PARTITION BY (region, dt)')
    expect(cols.partitionBy).toEqual({ kind: 'expression', expressions: ['`region`', '`dt`'] })
  })

  it('canonicalises the type spellings servers print', () => {
    expect(canonicalColumnType('int(11)')).toBe('INT')
    expect(canonicalColumnType('bigint(20) ')).toBe('BIGINT')
    expect(canonicalColumnType('decimal64(10,2)')).toBe('DECIMAL(10, 2)')
    expect(canonicalColumnType('decimal128(38, 9)')).toBe('DECIMAL(38, 9)')
    expect(canonicalColumnType('string')).toBe('VARCHAR(65533)')
    expect(canonicalColumnType('array<int(11)>')).toBe('ARRAY<INT>')
    expect(canonicalColumnType('map<varchar(10),bigint(20)>')).toBe('MAP<VARCHAR(10), BIGINT>')
    expect(canonicalColumnType('struct<X int(11), y varchar(5)>')).toBe('STRUCT<x INT, y VARCHAR(5)>')
    expect(() => canonicalColumnType('DECIMAL(a, b)')).toThrow(/whole numbers/)
  })

  it('names the line and column of what it cannot read', () => {
    try {
      parseCreateTable('CREATE TABLE t (\n  a INT,\n  b INT BOGUS\n)')
      expect.unreachable()
    } catch (e) {
      expect(isStarRocksMvError(e, 'PARSE_ERROR')).toBe(true)
      expect((e as Error).message).toMatch(/CREATE TABLE at line 3, column 9/)
    }
    expect(() => parseCreateTable('CREATE TABLE t (a INT) ENGINE=mysql')).toThrow(/not a managed table/)
  })

  it.skipIf(!hasShared)('reads every CREATE TABLE of the fixtures\' context statements', () => {
    let n = 0
    for (const file of fixtureFiles('pairs').filter((f) => f.endsWith('.user.sql'))) {
      for (const statement of splitStatements(readFixture('pairs', file))) {
        if (!/^\s*CREATE\s+TABLE/i.test(statement)) continue
        const t = parseCreateTable(statement)
        expect(t.columns.length, file).toBeGreaterThan(0)
        n++
      }
    }
    expect(n).toBeGreaterThanOrEqual(5)
  })
})
