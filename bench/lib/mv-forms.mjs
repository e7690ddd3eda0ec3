/**
 * Varied CREATE MATERIALIZED VIEW statements, as users write them, for the reflection and parsing
 * workloads: every clause present or absent, several spellings of each, joins, subqueries, CASE,
 * CAST, string literals with escapes, and a synchronous MV now and then. Statement i is a pure
 * function of i and the server version (features newer than the version are left out).
 */

/** The base tables the statements read, as CREATE TABLE statements for database `db`. */
export const baseTables = (db) => [
  `CREATE TABLE \`${db}\`.\`orders\` (id BIGINT, user_id BIGINT, order_date DATE, created_at DATETIME, amount DECIMAL(10, 2), status VARCHAR(20), region VARCHAR(10)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")`,
  `CREATE TABLE \`${db}\`.\`users\` (id BIGINT, name VARCHAR(100), country VARCHAR(2), signup DATE) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")`,
]

const atLeast = (version, min) => {
  const [a, b] = version.split('.').map(Number)
  const [x, y] = min.split('.').map(Number)
  return a !== x ? a > x : b >= y
}

const queries = (db, i) => [
  // aggregation over a join; partition column d
  `SELECT o.order_date AS d, o.user_id, u.name, SUM(o.amount) AS total, COUNT(*) AS n
FROM ${db}.orders o JOIN ${db}.users u ON o.user_id = u.id
WHERE o.amount > ${i} AND o.status = 'paid'
GROUP BY o.order_date, o.user_id, u.name`,
  // LEFT JOIN, CASE, a literal with quotes and a backslash
  `SELECT o.order_date AS d, u.country,
  SUM(CASE WHEN o.status = 'it\\'s \\\\ "done"' THEN o.amount ELSE 0 END) AS done_amount,
  MAX(o.amount) AS top
FROM ${db}.orders AS o LEFT JOIN ${db}.users AS u ON o.user_id = u.id
GROUP BY o.order_date, u.country`,
  // a subquery in FROM, CAST, IN and BETWEEN
  `SELECT t.d, t.region, SUM(t.amount) AS total
FROM (SELECT CAST(created_at AS DATE) AS d, region, amount FROM ${db}.orders WHERE status IN ('paid', 'shipped') AND amount BETWEEN ${i} AND ${i + 1000}) t
GROUP BY t.d, t.region`,
  // a plain projection with LIKE
  `SELECT order_date AS d, id, user_id, amount FROM ${db}.orders WHERE region LIKE 'eu%' AND amount >= ${i % 97}`,
]

const refreshes = (version, i) => {
  const all = [
    'REFRESH ASYNC',
    `REFRESH ASYNC EVERY (INTERVAL ${1 + (i % 12)} HOUR)`,
    `REFRESH ASYNC START ('2025-0${1 + (i % 9)}-01 00:00:00') EVERY (INTERVAL 1 DAY)`,
    'REFRESH MANUAL',
    'REFRESH DEFERRED MANUAL',
    `REFRESH IMMEDIATE ASYNC EVERY (INTERVAL ${10 + (i % 50)} MINUTE)`,
    '',
  ]
  if (atLeast(version, '4.1')) all.push(`REFRESH SCHEDULE EVERY (INTERVAL ${1 + (i % 6)} DAY)`)
  return all
}

/** The i-th statement for database `db` on a server of `version` ('2.5', '3.3', '3.5', '4.1', ...). */
export const mvStatement = (db, i, version) => {
  const name = `mv_${i}`
  if (i % 25 === 24) {
    return `CREATE MATERIALIZED VIEW \`${db}\`.\`${name}\` COMMENT 'sync ${i}' AS SELECT user_id, order_date, SUM(amount) AS total, COUNT(id) AS n FROM ${db}.orders GROUP BY user_id, order_date`
  }
  const q = i % 4
  const query = queries(db, i)[q]
  const parts = [`CREATE MATERIALIZED VIEW ${i % 3 === 0 ? 'IF NOT EXISTS ' : ''}\`${db}\`.\`${name}\``]
  const cols = [['d', 'user_id', 'name', 'total', 'n'], ['d', 'country', 'done_amount', 'top'], ['d', 'region', 'total'], ['d', 'id', 'user_id', 'amount']][q]
  if (atLeast(version, '3.0') && i % 5 === 1) parts.push(`(${cols.map((c, k) => (k === 0 ? `${c} COMMENT 'day of ${i}'` : c)).join(', ')})`)
  if (i % 3 !== 2) parts.push(`COMMENT "mv number ${i}"`)
  const clauses = []
  const partition = i % 4
  if (partition === 1) clauses.push('PARTITION BY d')
  if (partition === 2) clauses.push(`PARTITION BY date_trunc('month', d)`)
  if (partition === 3) clauses.push('PARTITION BY (d)')
  const dist = i % 5
  if (dist === 0 || (!atLeast(version, '3.1') && dist >= 3)) clauses.push(`DISTRIBUTED BY HASH(d) BUCKETS ${1 + (i % 16)}`)
  if (dist === 1) clauses.push(`DISTRIBUTED BY HASH(\`d\`, \`${cols[1]}\`)`)
  if (atLeast(version, '3.1') && dist === 3) clauses.push('DISTRIBUTED BY RANDOM')
  if (atLeast(version, '3.1') && dist === 4) clauses.push(`DISTRIBUTED BY RANDOM BUCKETS ${2 + (i % 8)}`)
  if (atLeast(version, '3.0') && i % 7 === 3) clauses.push(`ORDER BY (d, ${cols[1]})`)
  const refresh = refreshes(version, i)[i % refreshes(version, i).length]
  if (refresh !== '' || clauses.every((c) => !c.startsWith('DISTRIBUTED'))) clauses.push(refresh === '' ? 'REFRESH MANUAL' : refresh)
  const props = []
  if (i % 2 === 0) props.push('"replication_num" = "1"')
  if (partition !== 0 && i % 3 === 0) props.push(`"partition_ttl_number" = "${1 + (i % 30)}"`)
  if (i % 6 === 1) props.push('"session.query_timeout" = "3600"')
  if (i % 8 === 5) props.push('"storage_medium" = "SSD"')
  if (props.length > 0) clauses.push(`PROPERTIES (${props.join(', ')})`)
  // the five clauses may come in any order: rotate them now and then
  const rotated = i % 11 === 7 && clauses.length > 1 ? [...clauses.slice(1), clauses[0]] : clauses
  return `${[...parts, ...rotated].join('\n')}\nAS ${query}`
}
