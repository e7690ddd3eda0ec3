import { describe, expect, it } from 'vitest'
import { MvDefinition, isStarRocksMvError } from '../../src/index.js'
import { renderCreate } from '../../src/render/index.js'

const base = (fields: Partial<Parameters<typeof MvDefinition.create>[0]> = {}): MvDefinition =>
  MvDefinition.create({ name: 'mv1', schema: 'db', query: 'SELECT a, b FROM t', ...fields })

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return isStarRocksMvError(e) ? e.code : `not a StarRocksMvError: ${String(e)}`
  }
  return undefined
}

describe('renderCreate', () => {
  it('prints every clause in SHOW CREATE order', () => {
    const def = base({
      columns: [{ name: 'a', comment: "the 'a'" }, { name: 'b' }],
      comment: 'All of it',
      partitionBy: ['`a`'],
      distribution: { kind: 'hash', columns: ['a'], buckets: 8 },
      orderBy: ['b'],
      refresh: { kind: 'async', deferred: true, start: '2025-01-01 00:00:00', every: { value: 1, unit: 'DAY' } },
      properties: { replication_num: '1', 'session.query_timeout': '600' },
    })
    expect(renderCreate(def, { ifNotExists: true })).toBe(
      [
        "CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.`mv1` (`a` COMMENT 'the \\'a\\'', `b`)",
        "COMMENT 'All of it'",
        'PARTITION BY `a`',
        'DISTRIBUTED BY HASH(`a`) BUCKETS 8',
        'ORDER BY (`b`)',
        "REFRESH DEFERRED ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)",
        'PROPERTIES ("replication_num" = "1", "session.query_timeout" = "600")',
        'AS SELECT a, b FROM t',
      ].join('\n'),
    )
  })

  it('never emits CREATE OR REPLACE, IMMEDIATE, or a trailing semicolon', () => {
    const out = renderCreate(base({ refresh: { kind: 'manual', deferred: false }, query: 'SELECT 1 AS x ;\n' }))
    expect(out).toBe('CREATE MATERIALIZED VIEW `db`.`mv1`\nREFRESH MANUAL\nAS SELECT 1 AS x')
    expect(out).not.toMatch(/OR REPLACE|IMMEDIATE|;/)
  })

  it('adds REFRESH MANUAL to an async MV with neither DISTRIBUTED BY nor REFRESH', () => {
    expect(renderCreate(base())).toBe('CREATE MATERIALIZED VIEW `db`.`mv1`\nREFRESH MANUAL\nAS SELECT a, b FROM t')
    expect(renderCreate(base({ distribution: { kind: 'random' } }))).toBe(
      'CREATE MATERIALIZED VIEW `db`.`mv1`\nDISTRIBUTED BY RANDOM\nAS SELECT a, b FROM t',
    )
  })

  it('renders several partition expressions in parentheses (3.5+)', () => {
    const def = base({ partitionBy: ['`a`', '`b`'], refresh: { kind: 'manual', deferred: false } })
    expect(renderCreate(def)).toContain('PARTITION BY (`a`, `b`)')
    expect(codeOf(() => renderCreate(def, { version: '3.4' }))).toBe('UNSUPPORTED_IN_VERSION')
  })

  it('renders refresh keywords by version', () => {
    const periodic = base({ refresh: { kind: 'async', deferred: false, every: { value: 5, unit: 'MINUTE' } } })
    const untimed = base({ refresh: { kind: 'async', deferred: false } })
    expect(renderCreate(periodic, { version: '4.0.8' })).toContain('REFRESH ASYNC EVERY (INTERVAL 5 MINUTE)')
    expect(renderCreate(periodic, { version: '4.1.1-ee' })).toContain('REFRESH SCHEDULE EVERY (INTERVAL 5 MINUTE)')
    expect(renderCreate(periodic, { version: '26.2.0' })).toContain('REFRESH SCHEDULE EVERY (INTERVAL 5 MINUTE)')
    expect(renderCreate(untimed, { version: '4.1' })).toContain('REFRESH ASYNC\n')
    expect(renderCreate(untimed, { version: '26.2.0-ee' })).toContain('REFRESH ON_CHANGE\n')
    expect(renderCreate(untimed, { version: 'main-d4df1c9' })).toContain('REFRESH ON_CHANGE\n')
  })

  it('renders a date-only START read back from a server as is', () => {
    const def = base({ refresh: { kind: 'async', deferred: false, start: '2122-12-31', every: { value: 1, unit: 'DAY' } } })
    expect(renderCreate(def)).toContain("REFRESH ASYNC START('2122-12-31') EVERY (INTERVAL 1 DAY)")
  })

  it('renders a sync MV with only COMMENT and PROPERTIES', () => {
    const def = MvDefinition.create({ name: 'r', sync: true, comment: 'rollup', properties: { replication_num: '1' }, query: 'SELECT k, sum(v) FROM t GROUP BY k' })
    expect(renderCreate(def, { version: '2.5' })).toBe(
      "CREATE MATERIALIZED VIEW `r`\nCOMMENT 'rollup'\nPROPERTIES (\"replication_num\" = \"1\")\nAS SELECT k, sum(v) FROM t GROUP BY k",
    )
  })

  it.each([
    ['a column list', { columns: [{ name: 'a' }] }, '2.5'],
    ['ORDER BY', { orderBy: ['a'] }, '2.5'],
    ['DEFERRED', { refresh: { kind: 'manual', deferred: true } }, '2.5'],
    ['RANDOM', { distribution: { kind: 'random' } }, '3.0'],
    ['str2date', { partitionBy: ["str2date(`a`, '%Y%m%d')"] }, '3.1.3'],
    ['time_slice', { partitionBy: ["date_trunc('month', time_slice(`a`, INTERVAL 7 DAY))"] }, '3.0'],
    ['a 4.1 property', { properties: { refresh_mode: 'AUTO' } }, '4.0'],
    ['a 3.5 property', { properties: { partition_retention_condition: 'dt > 1' } }, '3.4.9'],
  ] as const)('rejects %s before its version', (_label, fields, version) => {
    const def = base(fields as never)
    let err: unknown
    try {
      renderCreate(def, { version })
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'UNSUPPORTED_IN_VERSION')).toBe(true)
    expect((err as Error).message).toMatch(/^db\.mv1: .* needs StarRocks [\d.]+ or newer, but the target version is /)
    expect((err as Error).message).toContain(version)
  })

  it('accepts those features from their version on', () => {
    expect(() => renderCreate(base({ columns: [{ name: 'a' }], orderBy: ['a'] }), { version: '3.0' })).not.toThrow()
    expect(() => renderCreate(base({ distribution: { kind: 'random', buckets: 2 } }), { version: '3.1' })).not.toThrow()
    expect(() => renderCreate(base({ properties: { refresh_mode: 'AUTO' } }), { version: '4.1' })).not.toThrow()
  })

  it('quotes names, property keys and values', () => {
    const def = MvDefinition.create({ name: 'we`ird', schema: 'd b', properties: { 'session.x': 'a"b\\c' }, query: 'SELECT 1', refresh: { kind: 'manual', deferred: false } })
    const out = renderCreate(def)
    expect(out).toContain('CREATE MATERIALIZED VIEW `d b`.`we``ird`')
    expect(out).toContain('PROPERTIES ("session.x" = "a\\"b\\\\c")')
  })

  it.each([
    ['BUCKETS 0', { distribution: { kind: 'hash', columns: ['a'], buckets: 0 } }, /BUCKETS must be a whole number greater than 0, got 0/],
    ['interval 0', { refresh: { kind: 'async', deferred: false, every: { value: 0, unit: 'DAY' } } }, /interval must be a whole number greater than 0, got 0/],
    ['bad START', { refresh: { kind: 'async', deferred: false, start: '2025-13-01 00:00:00', every: { value: 1, unit: 'DAY' } } }, /START must be .*"2025-13-01 00:00:00"/],
    ['START without EVERY', { refresh: { kind: 'async', deferred: false, start: '2025-01-01 00:00:00' } }, /needs an interval/],
    ['sync with REFRESH', { sync: true, refresh: { kind: 'manual', deferred: false } }, /synchronous MV .* takes no REFRESH/],
    ['undeclared partition column', { columns: [{ name: 'a' }], partitionBy: ['`zz`'] }, /PARTITION BY uses the column "zz"/],
    ['undeclared hash column', { columns: [{ name: 'a' }], distribution: { kind: 'hash', columns: ['b'] } }, /DISTRIBUTED BY HASH uses the column "b"/],
    ['undeclared order column', { columns: [{ name: 'a' }], orderBy: ['c'] }, /ORDER BY uses the column "c"/],
    ['duplicate columns', { columns: [{ name: 'a' }, { name: 'A' }] }, /names the column "A" twice/],
    ['bad enum property', { properties: { storage_medium: 'TAPE' } }, /"storage_medium" must be one of HDD, SSD, got "TAPE"/],
    ['bad number property', { properties: { replication_num: 'three' } }, /"replication_num" must be a whole number/],
    ['empty query', { query: '  ' }, /the query is empty/],
  ] as const)('validates %s', (_label, fields, message) => {
    let err: unknown
    try {
      renderCreate(base(fields as never))
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'INVALID_MV')).toBe(true)
    expect((err as Error).message).toMatch(/^db\.mv1: /)
    expect((err as Error).message).toMatch(message)
  })

  it('checks a definition that can still change every time it is rendered (a frozen one once)', () => {
    const ok = base()
    expect(() => renderCreate(ok)).not.toThrow()
    expect(() => renderCreate(ok)).not.toThrow()
    // a hand-made definition, not frozen: valid when first rendered, changed afterwards
    const handMade = { ...ok, properties: { replication_num: '1' } } as { -readonly [K in keyof MvDefinition]: MvDefinition[K] }
    expect(() => renderCreate(handMade)).not.toThrow()
    handMade.properties = { replication_num: 'three' }
    expect(() => renderCreate(handMade)).toThrow(/"replication_num" must be a whole number/)
    // frozen at the top but holding a part that is not
    const parts = { replication_num: '1' } as Record<string, string>
    const shallow = Object.freeze({ ...ok, properties: parts })
    expect(() => renderCreate(shallow)).not.toThrow()
    parts.replication_num = 'three'
    expect(() => renderCreate(shallow)).toThrow(/"replication_num" must be a whole number/)
  })

  it('rejects empty and over-long names', () => {
    expect(codeOf(() => renderCreate(MvDefinition.create({ name: '', query: 'SELECT 1' })))).toBe('INVALID_MV')
    const long = 'x'.repeat(65)
    expect(() => renderCreate(MvDefinition.create({ name: long, query: 'SELECT 1' }))).toThrow(/65 characters long; StarRocks allows at most 64/)
    expect(() => renderCreate(MvDefinition.create({ name: 'x'.repeat(64), query: 'SELECT 1' }))).not.toThrow()
  })
})
