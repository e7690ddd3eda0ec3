import { describe, expect, it } from 'vitest'
import { queryDependencies } from '../../src/sql/index.js'

describe('queryDependencies: the tables a query given as text reads', () => {
  it('finds qualified, unqualified and quoted names after FROM, JOIN and commas', () => {
    expect(queryDependencies('SELECT * FROM analytics.base_mv')).toEqual([{ schema: 'analytics', name: 'base_mv' }])
    expect(queryDependencies('SELECT a.x FROM z_base a, `other db`.`t 2` b LEFT JOIN c ON c.id = a.id')).toEqual([
      { name: 'z_base' }, { schema: 'other db', name: 't 2' }, { name: 'c' },
    ])
  })

  it('CTE names are not dependencies, at the top and inside subqueries; what the CTEs read is', () => {
    expect(queryDependencies('WITH t AS (SELECT * FROM shop.orders), u (k) AS (SELECT id FROM users) SELECT * FROM t JOIN u ON t.id = u.k')).toEqual([
      { schema: 'shop', name: 'orders' }, { name: 'users' },
    ])
    expect(queryDependencies('SELECT * FROM (WITH recent AS (SELECT * FROM orders) SELECT * FROM recent) s')).toEqual([{ name: 'orders' }])
    expect(queryDependencies('WITH RECURSIVE r AS (SELECT 1 AS n) SELECT * FROM r')).toEqual([])
  })

  it('WITH ROLLUP binds no name', () => {
    expect(queryDependencies('SELECT dt, sum(x) FROM rollup_src GROUP BY dt WITH ROLLUP')).toEqual([{ name: 'rollup_src' }])
  })

  it('subquery aliases and table aliases are not dependencies', () => {
    expect(queryDependencies('SELECT s.total FROM (SELECT sum(amount) AS total FROM orders) AS s, (SELECT 1 AS one) t JOIN items i ON i.id = s.total')).toEqual([
      { name: 'orders' }, { name: 'items' },
    ])
    expect(queryDependencies('SELECT * FROM orders AS o JOIN orders o2 ON o.id = o2.id')).toEqual([{ name: 'orders' }])
  })

  it('names inside string literals and comments are not dependencies', () => {
    const q = `SELECT 'FROM fake_a', "JOIN fake_b" AS s -- FROM fake_c
      /* FROM fake_d JOIN fake_e */ # FROM fake_f
      FROM real_t WHERE note = 'x FROM fake_g' AND EXTRACT(YEAR FROM dt) > 2000`
    expect(queryDependencies(q)).toEqual([{ name: 'real_t' }])
  })

  it('FROM inside expressions is not a table position', () => {
    expect(queryDependencies('SELECT a IS NOT DISTINCT FROM b, TRIM(LEADING 0 FROM c), SUBSTRING(d FROM 2) FROM t')).toEqual([{ name: 't' }])
  })

  it('table functions are not dependencies', () => {
    expect(queryDependencies('SELECT * FROM t, unnest(t.arr) AS u(x), TABLE(gen(1)) g')).toEqual([{ name: 't' }])
  })
})
