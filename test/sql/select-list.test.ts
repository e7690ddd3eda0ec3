import { describe, expect, it } from 'vitest'
import { expressionAggregation, selectShape } from '../../src/sql/index.js'

describe('selectShape', () => {
  it('splits the select list, the tail and GROUP BY of a plain SELECT', () => {
    const q = 'SELECT k, sum(v) AS s, count(*) c FROM db.t WHERE x > 1 GROUP BY k HAVING s > 0;'
    const s = selectShape(q)
    expect(s?.items.map((i) => [i.expression, i.alias])).toEqual([['k', undefined], ['sum(v)', 's'], ['count(*)', 'c']])
    expect(s?.tail).toBe('FROM db.t WHERE x > 1 GROUP BY k HAVING s > 0')
    expect(s?.groupBy?.map((i) => i.text)).toEqual(['k'])
    expect(s?.singleTable).toBe(true)
    expect(q.slice(0, s?.itemsEnd)).toBe('SELECT k, sum(v) AS s, count(*) c')
  })

  it('tells joins, windows and what it cannot split', () => {
    expect(selectShape('SELECT a FROM t JOIN u ON t.a = u.a')?.singleTable).toBe(false)
    expect(selectShape('SELECT a FROM t, u')?.singleTable).toBe(false)
    expect(selectShape('SELECT a, row_number() OVER (ORDER BY a) r FROM t')?.hasWindow).toBe(true)
    expect(selectShape('WITH x AS (SELECT 1) SELECT * FROM x')).toBeUndefined()
    expect(selectShape('SELECT a FROM t UNION ALL SELECT a FROM u')).toBeUndefined()
    expect(selectShape('SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t')?.items[0]?.alias).toBeUndefined()
  })
})

describe('expressionAggregation', () => {
  it('classifies aggregate calls and counts column references', () => {
    expect(expressionAggregation('sum(`amount`)')).toEqual({ isAggregateCall: true, containsAggregate: true, columnReferences: 1 })
    expect(expressionAggregation('sum(a) + sum(a)')).toEqual({ isAggregateCall: false, containsAggregate: true, columnReferences: 2 })
    expect(expressionAggregation('count(*)')).toEqual({ isAggregateCall: true, containsAggregate: true, columnReferences: 0 })
    expect(expressionAggregation('t.a * 2')).toEqual({ isAggregateCall: false, containsAggregate: false, columnReferences: 1 })
    expect(expressionAggregation('CAST(a AS BIGINT)').columnReferences).toBe(1)
  })
})
