import { describe, expect, it } from 'vitest'
import { canonicalize, canonicalQuery, compareQueries, definitionChanges, equivalent, normalizePropertyValue, normalizeStart } from '../../src/diff/index.js'
import { MvDefinition } from '../../src/model/index.js'
import { daily, edit } from './defs.js'

const same = (a: string, b: string): void => {
  const r = compareQueries(a, b, 'full')
  expect(r.equal, `${r.from}\n${r.to}`).toBe(true)
}
const differ = (a: string, b: string): void => {
  const r = compareQueries(a, b, 'full')
  expect(r.equal, `${r.from}\n${r.to}`).toBe(false)
}

describe('query canonical form (the server rewrite before 4.0.6)', () => {
  it.each([
    ['qualifiers on columns and tables', 'select k1 from t1', 'SELECT `test`.`t1`.`k1` FROM `test`.`t1`'],
    ['implicit aliases made explicit', 'select k1, sum(v) from t group by k1', 'SELECT `t`.`k1`, sum(`t`.`v`) AS `sum(v)` FROM `db`.`t` GROUP BY `t`.`k1`'],
    ['aliases of nested calls', 'select bitmap_union(to_bitmap(tag_id)) from u', 'SELECT bitmap_union(to_bitmap(`u`.`tag_id`)) AS `bitmap_union(to_bitmap(tag_id))` FROM `d`.`u`'],
    ['an alias equal to its column', 'select k1 from t', 'SELECT `t`.`k1` AS `k1` FROM `t`'],
    ['implicit alias without AS', 'select sum(v) total from t', 'SELECT sum(`t`.`v`) AS `total` FROM `t`'],
    ['JOIN ≡ INNER JOIN', 'select a from x join y on x.a = y.a', 'select a from x inner join y on x.a = y.a'],
    ['LEFT JOIN ≡ LEFT OUTER JOIN', 'select a from x left join y on x.a = y.a', 'select a from x left outer join y on x.a = y.a'],
    ['optional AS before table aliases', 'select t0.k1 from t_hash t0', 'SELECT `t0`.`k1` FROM `db`.`t_hash` AS `t0`'],
    ['redundant parentheses', 'select a from t where a > 1 and b < 2', 'select a from t where ((a > 1)) and (b < 2)'],
    ['parentheses around a whole condition', 'select a from t where a > 1 or b < 2', 'select a from t where (a > 1 or b < 2)'],
    ['keyword case, backticks, whitespace, trailing ;', 'SELECT  a\nFROM t;', 'select `a` from `t` ;'],
    ['ORDER BY ASC is the default', 'select a from t order by a', 'select a from t order by a ASC'],
    ['comments', 'select a -- the key\nfrom t /* base */', 'select a from t'],
    ['subqueries get the same rules', 'select x from (select k1 x from t) s', 'SELECT `s`.`x` FROM (SELECT `t`.`k1` AS `x` FROM `db`.`t`) `s`'],
  ])('%s', (_, a, b) => same(a, b))

  it.each([
    ['a different column', 'select a from t', 'select b from t'],
    ['a different alias', 'select sum(v) as s from t', 'select sum(v) as total from t'],
    ['a different join kind', 'select a from x left join y on x.a = y.a', 'select a from x join y on x.a = y.a'],
    ['precedence that parentheses change', 'select (a + b) * c from t', 'select a + b * c from t'],
    ['AND/OR grouping', 'select a from t where (a or b) and c', 'select a from t where a or b and c'],
    ['a string literal', "select a from t where s = 'X'", "select a from t where s = 'x'"],
    ['a filter added', 'select a from t', 'select a from t where a > 0'],
  ])('keeps %s', (_, a, b) => differ(a, b))

  it('SELECT * equals an expanded list that names the column list; without one it cannot decide', () => {
    const star = 'SELECT * from t1'
    const expanded = 'SELECT `t1`.`c0`, `t1`.`c1` FROM `db`.`t1`'
    expect(compareQueries(expanded, star, 'full', { from: ['c0', 'c1'] }).equal).toBe(true)
    expect(compareQueries(star, expanded, 'full', { to: ['c0', 'c1'] }).starExpansion).toBe(true)
    expect(compareQueries(expanded, star, 'full').equal).toBe(false)
    expect(compareQueries(expanded, star, 'full', { from: ['c0', 'c2'] }).equal).toBe(false)
  })

  it('light mode keeps identifiers and qualifiers (a snapshot comparison is exact up to layout)', () => {
    expect(compareQueries('select t.a from t', 'select a from t', 'light').equal).toBe(false)
    expect(compareQueries('SELECT `a` FROM t', 'select a  from t;', 'light').equal).toBe(true)
    expect(compareQueries('select a from Orders', 'select a from orders', 'light').equal).toBe(false)
  })

  it('renders a canonical text', () => {
    expect(canonicalQuery('select t1.k1, sum(v) from db.t1 group by k1;')).toBe('SELECT k1 , sum ( v ) FROM t1 GROUP BY k1')
  })
})

describe('definition canonical form', () => {
  it('START: date only ≡ midnight; minutes get seconds', () => {
    expect(normalizeStart('2122-12-31')).toBe('2122-12-31 00:00:00')
    expect(normalizeStart('2122-12-31 10:00')).toBe('2122-12-31 10:00:00')
    expect(normalizeStart('2122-12-31T10:00:00')).toBe('2122-12-31 10:00:00')
  })

  it('constraint properties without the server prefix; lists without spaces', () => {
    expect(normalizePropertyValue('unique_constraints', 'default_catalog.test.tbl2.k1')).toBe('tbl2.k1')
    expect(normalizePropertyValue('foreign_key_constraints', 'default_catalog.test.tbl1(k1) REFERENCES default_catalog.test.tbl2(k1)')).toBe(
      normalizePropertyValue('foreign_key_constraints', 'tbl1(k1) references tbl2( k1 )'),
    )
    expect(normalizePropertyValue('bloom_filter_columns', 'c1, c2')).toBe('c1,c2')
    expect(normalizePropertyValue('replicated_storage', 'TRUE')).toBe('true')
  })

  it('fills defaults, removes server-added properties and the default comment', () => {
    const bare = MvDefinition.create({ name: 'm', query: 'select a from t' })
    const server = MvDefinition.create({
      name: 'm',
      comment: 'MATERIALIZED_VIEW',
      distribution: { kind: 'random' },
      refresh: { kind: 'manual', deferred: false },
      properties: { replicated_storage: 'true', storage_medium: 'HDD', replication_num: '3' },
      query: 'SELECT `t`.`a` FROM `db`.`t`;',
    })
    expect(canonicalize(server)).toEqual(canonicalize(bare))
    expect(canonicalize(bare, { serverDefaults: false }).refresh).toBeUndefined()
  })

  it('equivalent ignores what the server adds but not real differences', () => {
    const server = edit(daily, {
      columns: [{ name: 'dt' }, { name: 'total' }],
      partitionBy: ['`dt`'],
      distribution: { kind: 'hash', columns: ['`dt`'], buckets: 8 },
      properties: { ...daily.properties, replicated_storage: 'true', storage_medium: 'HDD' },
      query: 'SELECT `orders`.`dt`, sum(`orders`.`amount`) AS `total` FROM `shop`.`orders` GROUP BY `orders`.`dt`',
    })
    expect(equivalent(server, daily)).toBe(true)
    expect(equivalent(server, edit(daily, { properties: { ...daily.properties, replication_num: '3' } }))).toBe(false)
    expect(equivalent(server, edit(daily, { comment: 'x' }))).toBe(false)
    expect(equivalent(server, edit(daily, { name: 'other' }))).toBe(false)
    // the server's own replication_num when the desired one has none
    expect(equivalent(server, edit(daily, { properties: { task_priority: '5', partition_ttl: '2 MONTH' } }))).toBe(true)
  })

  it('a live comparison ignores the server column list and auto buckets when the desired MV has none', () => {
    const desired = edit(daily, { distribution: { kind: 'hash', columns: ['dt'] } })
    const server = edit(daily, { columns: [{ name: 'DT' }, { name: 'total' }] })
    expect(definitionChanges(server, desired, { mode: 'live' })).toEqual([])
    expect(definitionChanges(server, desired, { mode: 'snapshot' }).map((c) => c.kind)).toEqual(['columnsChanged', 'bucketsChanged'])
  })

  it('a definition equal to the other field by field has no changes in either mode, intents and key order aside', () => {
    const copy = JSON.parse(JSON.stringify(daily), (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).reverse()) : v,
    ) as MvDefinition
    const desired = MvDefinition.with(copy, { rebuild: 'swap', renamedFrom: 'old_daily' })
    for (const mode of ['snapshot', 'live'] as const) {
      expect(definitionChanges(daily, desired, { mode })).toEqual([])
      expect(definitionChanges(desired, daily, { mode })).toEqual([])
    }
    // one nested field apart: compared as before
    const rebucketed = edit(daily, { distribution: { kind: 'hash', columns: ['dt'], buckets: 99 } })
    expect(definitionChanges(daily, rebucketed).map((c) => c.kind)).toEqual(['bucketsChanged'])
  })

  it('compares hand-made definitions that are not frozen field by field', () => {
    // a query the data comparison cannot see (not enumerable) is still compared
    const hidden = (query: string): MvDefinition => {
      const d = JSON.parse(JSON.stringify(daily)) as MvDefinition
      Object.defineProperty(d, 'query', { value: query, enumerable: false })
      return d
    }
    expect(definitionChanges(hidden('SELECT 1'), hidden('SELECT 2')).map((c) => c.kind)).toEqual(['queryChanged'])
  })

  it('a live query difference says it may only be a rewrite unless the server keeps query text (4.0.6+)', () => {
    const changed = edit(daily, { query: 'SELECT dt FROM shop.orders' })
    const old = definitionChanges(daily, changed, { mode: 'live', version: '3.5', versionKnown: true })[0]
    expect(old?.kind === 'queryChanged' && old.mayBeRewrite).toBe(true)
    const kept = definitionChanges(daily, changed, { mode: 'live', version: '4.1', versionKnown: true })[0]
    expect(kept?.kind === 'queryChanged' && kept.mayBeRewrite).toBe(false)
    const snap = definitionChanges(daily, changed)[0]
    expect(snap?.kind === 'queryChanged' && snap.mayBeRewrite).toBe(false)
    expect(snap?.kind === 'queryChanged' && snap.textDiff).toContain('-SELECT dt, sum(amount) AS total')
  })

  it('the same query text is the same query, even where the tokenizer cannot read it', () => {
    const odd = edit(daily, { query: "SELECT 'unterminated FROM shop.orders" })
    expect(definitionChanges(odd, odd, { mode: 'live' })).toEqual([])
    expect(definitionChanges(odd, edit(odd, { comment: 'c' })).map((c) => c.kind)).toEqual(['commentChanged'])
  })

  it('a query change carries its text diff as data: frozen, the same on every read, in JSON and in copies', () => {
    const change = definitionChanges(daily, edit(daily, { query: 'SELECT dt FROM shop.orders' }))[0]
    if (change?.kind !== 'queryChanged') throw new Error('expected a query change')
    expect(Object.isFrozen(change)).toBe(true)
    expect(change.textDiff).toContain('+SELECT dt')
    expect(change.textDiff).toBe(change.textDiff)
    expect(JSON.parse(JSON.stringify(change)).textDiff).toBe(change.textDiff)
    expect({ ...change }.textDiff).toBe(change.textDiff)
    expect(Object.keys(change)).toEqual(['kind', 'mv', 'from', 'to', 'textDiff', 'mayBeRewrite'])
  })
})
