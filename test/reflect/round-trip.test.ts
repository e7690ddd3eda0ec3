/**
 * Round trip: for generated definitions and every target version, parsing what `renderCreate`
 * prints gives the definition back, after this canonicalisation of the generated definition:
 * - the intent fields (`alterableProperties`, `renamedFrom`, `rebuild`) are dropped: they are not DDL;
 * - PARTITION BY entries are re-spelled in the parser's canonical form (`canonicalExpression`):
 *   back-quoted identifiers, lower-case function names, single-quoted strings, one space after commas;
 * - the query is trimmed and loses trailing `;` and whitespace (the renderer strips them too);
 * - an asynchronous MV with neither REFRESH nor DISTRIBUTED BY reads back with `REFRESH MANUAL`,
 *   which the renderer writes so that the statement is not taken for a sync MV;
 * - a comment equal to `MATERIALIZED_VIEW` reads back as no comment (old servers print it for none).
 * The refresh spelling changes by version (ASYNC / SCHEDULE / ON_CHANGE) but reads back the same.
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { MvDefinition, INTERVAL_UNITS, type Distribution, type MvColumn, type RefreshSpec } from '../../src/model/index.js'
import { renderCreate } from '../../src/render/index.js'
import { parseMaterializedView, parsePartitionExpressions, DEFAULT_MV_COMMENT } from '../../src/reflect/parse-materialized-view.js'
import { quoteIdentifier } from '../../src/sql/index.js'

const VERSIONS = ['3.1', '3.5', '4.1', '26.2'] as const

const canonicalForRoundTrip = (def: MvDefinition): MvDefinition =>
  MvDefinition.with(def, {
    alterableProperties: undefined,
    renamedFrom: undefined,
    rebuild: undefined,
    partitionBy: def.partitionBy?.flatMap((p) => parsePartitionExpressions(p)),
    query: def.query.trim().replace(/[\s;]+$/, ''),
    refresh: !def.sync && def.refresh === undefined && def.distribution === undefined ? { kind: 'manual', deferred: false } : def.refresh,
    comment: def.comment === DEFAULT_MV_COMMENT ? undefined : def.comment,
  })

const name = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\0')),
  fc.constantFrom('AS', 'select', 'a`b', 'with space', "it's", 'naïve', 'x;y', '"q"', 'REFRESH'),
)
const columnName = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), fc.constantFrom('Total Amount', 'a`b', 'day', 'ünï'))
const text = fc.string({ maxLength: 30 }).filter((s) => !s.includes('\0'))

const QUERIES = [
  { query: 'SELECT 1', deps: [] },
  { query: "SELECT k, ' AS SELECT ; ' AS s FROM db1.t1;", deps: [{ schema: 'db1', name: 't1' }] },
  { query: '  select a.k, sum(b.v) from t_a a join `d`.`t b` b on a.k = b.k group by a.k  ', deps: [{ name: 't_a' }, { schema: 'd', name: 't b' }] },
  { query: 'SELECT dt, count(*) AS c\nFROM `shop`.`orders` -- counts; per day\nGROUP BY dt ;', deps: [{ schema: 'shop', name: 'orders' }] },
  { query: 'WITH w AS (SELECT * FROM base) SELECT * FROM w, other', deps: [{ name: 'base' }, { name: 'other' }] },
] as const

/** Words that start a clause of CREATE MATERIALIZED VIEW (or end an expression): written bare, they are not a partition expression. */
const BARE_NOT_AN_EXPRESSION = new Set(['COMMENT', 'PARTITION', 'DISTRIBUTED', 'ORDER', 'REFRESH', 'PROPERTIES', 'AS', 'BY', 'FROM', 'SELECT'])

const partitionEntry = (col: string, version: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    quoteIdentifier(col),
    `date_trunc('month', ${quoteIdentifier(col)})`,
    `DATE_TRUNC("day",${quoteIdentifier(col)})`,
    `CAST(${quoteIdentifier(col)} AS DATE)`,
    `time_slice(${quoteIdentifier(col)}, interval 1 day)`,
    ...(version === '3.1' ? [] : [`str2date(${quoteIdentifier(col)}, '%Y%m%d')`]),
    // bare only where SQL allows it: a clause keyword (`as`, `order`, ...) is not an expression, and StarRocks prints it quoted
    ...(/^[A-Za-z_][A-Za-z0-9_]*$/.test(col) && !BARE_NOT_AN_EXPRESSION.has(col.toUpperCase()) ? [col] : []),
  )

const refreshSpec: fc.Arbitrary<RefreshSpec> = fc.oneof(
  fc.record({ kind: fc.constant('manual' as const), deferred: fc.boolean() }),
  fc.record({ kind: fc.constant('async' as const), deferred: fc.boolean() }),
  fc
    .record({
      deferred: fc.boolean(),
      start: fc.option(fc.constantFrom('2024-01-01 00:00:00', '2122-12-31 23:59:59'), { nil: undefined }),
      value: fc.integer({ min: 1, max: 10_000 }),
      unit: fc.constantFrom(...INTERVAL_UNITS),
    })
    .map(({ deferred, start, value, unit }): RefreshSpec => ({ kind: 'async', deferred, ...(start === undefined ? {} : { start }), every: { value, unit } })),
)

const properties = fc
  .record(
    {
      replication_num: fc.integer({ min: 1, max: 9 }).map(String),
      storage_medium: fc.constantFrom('HDD', 'SSD'),
      task_priority: fc.integer({ min: 0, max: 100 }).map(String),
      'session.query_timeout': fc.integer({ min: 1, max: 99999 }).map(String),
      bloom_filter_columns: fc.constantFrom('c1, c2', 'k'),
      x_custom: text,
    },
    { requiredKeys: [] },
  )
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<string, string>)

const uniqueColumns = fc.uniqueArray(columnName, { minLength: 1, maxLength: 4, selector: (c) => c.toLowerCase() })

const definition = (version: string): fc.Arbitrary<MvDefinition> =>
  fc
    .record({
      name,
      schema: fc.option(name, { nil: undefined }),
      sync: fc.boolean(),
      declared: fc.option(uniqueColumns, { nil: undefined }),
      columnComments: fc.array(fc.option(text, { nil: undefined }), { minLength: 4, maxLength: 4 }),
      comment: fc.option(fc.oneof(text, fc.constant(DEFAULT_MV_COMMENT)), { nil: undefined }),
      refresh: fc.option(refreshSpec, { nil: undefined }),
      properties,
      query: fc.constantFrom(...QUERIES),
      pick: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      has: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      free: uniqueColumns,
      random: fc.boolean(),
      buckets: fc.option(fc.integer({ min: 1, max: 1024 }), { nil: undefined }),
      intent: fc.boolean(),
    })
    .chain((g) => {
      const pool = g.declared ?? g.free
      const at = (i: number): string => pool[(g.pick[i] as number) % pool.length] as string
      const partitionCount = version === '3.1' ? 1 : 1 + ((g.pick[7] as number) % 2)
      const partitionCols = [...new Set(Array.from({ length: partitionCount }, (_, i) => at(i)))]
      return fc.tuple(fc.constant(g), fc.tuple(...partitionCols.map((c) => partitionEntry(c, version))))
    })
    .map(([g, partitionEntries]) => {
      const pool = g.declared ?? g.free
      const at = (i: number): string => pool[(g.pick[i] as number) % pool.length] as string
      const sync = g.sync
      const columns: MvColumn[] | undefined = sync
        ? undefined
        : g.declared?.map((c, i) => {
            const comment = g.columnComments[i]
            return comment === undefined ? { name: c } : { name: c, comment }
          })
      const distribution: Distribution | undefined =
        sync || !g.has[0]
          ? undefined
          : g.random
            ? { kind: 'random', ...(g.buckets === undefined ? {} : { buckets: g.buckets }) }
            : { kind: 'hash', columns: [...new Set([at(2), at(3)].map((c) => c))].filter((c, i, a) => a.findIndex((x) => x.toLowerCase() === c.toLowerCase()) === i), ...(g.buckets === undefined ? {} : { buckets: g.buckets }) }
      const orderBy = sync || !g.has[1] ? undefined : [at(4), at(5)].filter((c, i, a) => a.findIndex((x) => x.toLowerCase() === c.toLowerCase()) === i)
      return MvDefinition.create({
        name: g.name,
        ...(g.schema === undefined ? {} : { schema: g.schema }),
        sync,
        ...(columns === undefined ? {} : { columns }),
        ...(g.comment === undefined ? {} : { comment: g.comment }),
        ...(sync || !g.has[2] ? {} : { partitionBy: partitionEntries }),
        ...(distribution === undefined ? {} : { distribution }),
        ...(orderBy === undefined ? {} : { orderBy }),
        ...(sync || g.refresh === undefined ? {} : { refresh: g.refresh }),
        properties: g.properties,
        query: g.query.query,
        dependencies: g.query.deps,
        ...(g.intent ? { alterableProperties: ['x_custom'], renamedFrom: 'old_name', rebuild: 'swap' as const } : {}),
      })
    })

test.each(VERSIONS)('parseMaterializedView(renderCreate(def, { version: %s })) gives def back, canonicalised', (version) => {
  fc.assert(
    fc.property(definition(version), fc.boolean(), (def, ifNotExists) => {
      const ddl = renderCreate(def, { version, ifNotExists })
      expect(parseMaterializedView(ddl)).toEqual(canonicalForRoundTrip(def))
      // the canonical form is a fixed point
      expect(parseMaterializedView(renderCreate(canonicalForRoundTrip(def), { version }))).toEqual(canonicalForRoundTrip(def))
    }),
    { numRuns: 300 },
  )
})

test('the generator covers every clause', () => {
  const seen = new Set<string>()
  for (const def of fc.sample(definition('3.5'), 300)) {
    for (const k of ['columns', 'comment', 'partitionBy', 'distribution', 'orderBy', 'refresh', 'schema'] as const) if (def[k] !== undefined) seen.add(k)
    if (def.sync) seen.add('sync')
    if ((def.partitionBy?.length ?? 0) > 1) seen.add('multi-partition')
    if (def.refresh?.kind === 'async' && def.refresh.every !== undefined) seen.add('every')
    if (def.columns?.some((c) => c.comment !== undefined)) seen.add('column comment')
    if (Object.keys(def.properties).length > 0) seen.add('properties')
  }
  expect([...seen].sort()).toEqual(
    ['column comment', 'columns', 'comment', 'distribution', 'every', 'multi-partition', 'orderBy', 'partitionBy', 'properties', 'refresh', 'schema', 'sync'],
  )
})

test('the refresh keyword follows the version and reads back the same', () => {
  const def = MvDefinition.create({
    name: 'm', refresh: { kind: 'async', deferred: true, start: '2024-01-01 00:00:00', every: { value: 1, unit: 'DAY' } }, query: 'SELECT 1',
  })
  const onChange = MvDefinition.with(def, { refresh: { kind: 'async', deferred: false } })
  expect(renderCreate(def, { version: '3.5' })).toContain('REFRESH DEFERRED ASYNC START')
  expect(renderCreate(def, { version: '4.1' })).toContain('REFRESH DEFERRED SCHEDULE START')
  expect(renderCreate(onChange, { version: '26.2' })).toContain('REFRESH ON_CHANGE')
  for (const version of VERSIONS) {
    expect(parseMaterializedView(renderCreate(def, { version }))).toEqual(def)
    expect(parseMaterializedView(renderCreate(onChange, { version }))).toEqual(onChange)
  }
})
