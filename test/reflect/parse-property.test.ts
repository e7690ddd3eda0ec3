import fc from 'fast-check'
import { expect, test } from 'vitest'
import { parseMaterializedView } from '../../src/reflect/parse-materialized-view.js'
import { MvDefinition, INTERVAL_UNITS, type Distribution, type MvColumn, type RefreshSpec } from '../../src/model/index.js'
import { quoteDoubleString, quoteIdentifier, quoteString } from '../../src/sql/index.js'

// Names with the characters that break naive parsers: backticks, spaces, quotes, keywords, unicode.
const name = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
  fc.constantFrom('AS', 'select', 'a`b', 'with space', "it's", 'naïve', 'x;y', '--', '"q"', 'PARTITION'),
)
const text = fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0'))
// bare names in generated text must not be SQL keywords (`as`, `day`...): prefix them
const plain = fc.stringMatching(/^k_[a-z0-9_]{0,8}$/)

/** The test's own writer of DDL text, with a free choice of spelling for each part. */
interface Spelled {
  readonly expected: MvDefinition
  readonly ddl: string
}

const QUERIES: readonly { text: string; deps: { schema?: string; name: string }[] }[] = [
  { text: 'SELECT 1', deps: [] },
  { text: "SELECT k, ' AS SELECT ;' AS s FROM db1.t1", deps: [{ schema: 'db1', name: 't1' }] },
  { text: 'select a.k from t_a a join `d`.`t b` b on a.k = b.k', deps: [{ name: 't_a' }, { schema: 'd', name: 't b' }] },
  { text: 'SELECT dt, sum(v) AS `sum(v)`\nFROM t -- a comment; with AS\nGROUP BY dt', deps: [{ name: 't' }] },
]

const arbitrarySpelled: fc.Arbitrary<Spelled> = fc
  .record({
    name,
    schema: fc.option(name, { nil: undefined }),
    ifNotExists: fc.boolean(),
    columns: fc.option(fc.array(fc.record({ name, comment: fc.option(text, { nil: undefined }) }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    comment: fc.option(text.filter((s) => s !== 'MATERIALIZED_VIEW'), { nil: undefined }),
    partition: fc.option(fc.array(fc.oneof(plain.map((c) => ({ kind: 'col' as const, c })), plain.map((c) => ({ kind: 'trunc' as const, c }))), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    distribution: fc.option(
      fc.oneof(
        fc.record({ kind: fc.constant('hash' as const), columns: fc.array(name, { minLength: 1, maxLength: 3 }), buckets: fc.option(fc.integer({ min: 1, max: 512 }), { nil: undefined }) }),
        fc.record({ kind: fc.constant('random' as const), buckets: fc.option(fc.integer({ min: 1, max: 512 }), { nil: undefined }) }),
      ),
      { nil: undefined },
    ),
    orderBy: fc.option(fc.array(name, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    refresh: fc.option(
      fc.oneof(
        fc.record({ kind: fc.constant('manual' as const), deferred: fc.boolean() }),
        fc.record({
          kind: fc.constant('async' as const),
          deferred: fc.boolean(),
          start: fc.option(fc.constantFrom('2023-07-01 10:00:00', '2122-12-31'), { nil: undefined }),
          every: fc.option(fc.record({ value: fc.integer({ min: 1, max: 1000 }), unit: fc.constantFrom(...INTERVAL_UNITS) }), { nil: undefined }),
        }),
      ),
      { nil: undefined },
    ),
    properties: fc.dictionary(fc.oneof(plain, fc.constant('session.query_timeout')), text, { maxKeys: 4 }),
    query: fc.constantFrom(...QUERIES),
    lower: fc.boolean(),
    ws: fc.constantFrom(' ', '\n', '  \t', '\r\n'),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
    spellings: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    trailer: fc.constantFrom('', ';', ' ;', ';\n', '\n-- end\n'),
  })
  .map((g) => {
    const s = (i: number) => g.spellings[i] as boolean
    const kw = (k: string) => (g.lower ? k.toLowerCase() : k)
    const w = g.ws
    const str = (v: string, i: number) => (s(i) ? quoteString(v) : quoteDoubleString(v))
    // an async spec whose start has no every cannot be spelled with SCHEDULE; keep it on ASYNC
    const refresh: RefreshSpec | undefined =
      g.refresh === undefined
        ? undefined
        : g.refresh.kind === 'manual'
          ? g.refresh
          : { kind: 'async', deferred: g.refresh.deferred, ...(g.refresh.start === undefined ? {} : { start: g.refresh.start }), ...(g.refresh.every === undefined ? {} : { every: g.refresh.every }) }
    const sync = refresh === undefined && g.distribution === undefined
    const partition = sync ? undefined : g.partition
    const distribution: Distribution | undefined =
      g.distribution === undefined
        ? undefined
        : g.distribution.kind === 'hash'
          ? { kind: 'hash', columns: g.distribution.columns, ...(g.distribution.buckets === undefined ? {} : { buckets: g.distribution.buckets }) }
          : { kind: 'random', ...(g.distribution.buckets === undefined ? {} : { buckets: g.distribution.buckets }) }
    const columns: MvColumn[] | undefined = g.columns?.map((c) => (c.comment === undefined ? { name: c.name } : { name: c.name, comment: c.comment }))

    const clauses: (string | undefined)[] = [
      g.comment === undefined ? undefined : `${kw('COMMENT')}${w}${str(g.comment, 0)}`,
      partition === undefined
        ? undefined
        : `${kw('PARTITION BY')}${w}${partition.length > 1 || s(1) ? '(' : ''}${partition
            .map((p) => (p.kind === 'col' ? (s(2) ? p.c : quoteIdentifier(p.c)) : `${s(3) ? 'DATE_TRUNC' : 'date_trunc'}(${s(4) ? "'day'" : '"day"'},${s(2) ? '' : ' '}${s(5) ? p.c : quoteIdentifier(p.c)})`))
            .join(', ')}${partition.length > 1 || s(1) ? ')' : ''}`,
      distribution === undefined
        ? undefined
        : `${kw('DISTRIBUTED BY')} ${distribution.kind === 'hash' ? `${kw('HASH')}(${distribution.columns.map(quoteIdentifier).join(', ')})` : kw('RANDOM')}${distribution.buckets === undefined ? '' : ` ${kw('BUCKETS')} ${distribution.buckets}${s(6) ? ' ' : ''}`}`,
      g.orderBy === undefined ? undefined : `${kw('ORDER BY')}${w}(${g.orderBy.map(quoteIdentifier).join(', ')})`,
      refresh === undefined
        ? undefined
        : `${kw('REFRESH')}${w}${refresh.deferred ? kw('DEFERRED') + ' ' : s(7) ? kw('IMMEDIATE') + ' ' : ''}${
            refresh.kind === 'manual'
              ? kw('MANUAL')
              : refresh.every === undefined
                ? refresh.start === undefined && s(0)
                  ? kw('ON_CHANGE')
                  : `${kw('ASYNC')}${refresh.start === undefined ? '' : ` ${kw('START')}(${str(refresh.start, 1)})`}`
                : `${s(3) ? kw('SCHEDULE') : kw('ASYNC')}${refresh.start === undefined ? '' : ` ${kw('START')}(${str(refresh.start, 1)})`} ${kw('EVERY')}(${kw('INTERVAL')} ${refresh.every.value} ${kw(refresh.every.unit)})`
          }`,
      Object.keys(g.properties).length === 0
        ? undefined
        : `${kw('PROPERTIES')} (${w}${Object.entries(g.properties).map(([k, v]) => `${quoteDoubleString(k)} = ${str(v, 2)}`).join(`,${w}`)}${w})`,
    ]
    const head =
      `${kw('CREATE MATERIALIZED VIEW')} ${g.ifNotExists ? kw('IF NOT EXISTS') + ' ' : ''}` +
      (g.schema === undefined ? '' : `${quoteIdentifier(g.schema)}.`) +
      quoteIdentifier(g.name) +
      (columns === undefined ? '' : ` (${columns.map((c) => quoteIdentifier(c.name) + (c.comment === undefined ? '' : ` ${kw('COMMENT')} ${str(c.comment, 3)}`)).join(', ')})`)
    const body = g.order.map((i) => clauses[i]).filter((c): c is string => c !== undefined)
    const ddl = [head, ...body, `${kw('AS')}${w}${g.query.text}${g.trailer}`].join(w)

    const expected = MvDefinition.create({
      name: g.name,
      ...(g.schema === undefined ? {} : { schema: g.schema }),
      sync,
      ...(columns === undefined ? {} : { columns }),
      ...(g.comment === undefined ? {} : { comment: g.comment }),
      ...(partition === undefined
        ? {}
        : { partitionBy: partition.map((p) => (p.kind === 'col' ? quoteIdentifier(p.c) : `date_trunc('day', ${quoteIdentifier(p.c)})`)) }),
      ...(distribution === undefined ? {} : { distribution }),
      ...(g.orderBy === undefined ? {} : { orderBy: g.orderBy }),
      ...(refresh === undefined ? {} : { refresh }),
      properties: g.properties,
      query: g.query.text,
      dependencies: g.query.deps,
    })
    return { expected, ddl }
  })

test('any spelling, case, spacing and clause order of a definition parses back to that definition', () => {
  fc.assert(
    fc.property(arbitrarySpelled, ({ expected, ddl }) => {
      expect(parseMaterializedView(ddl)).toEqual(expected)
    }),
    { numRuns: 500 },
  )
})

test('damaged statements fail with PARSE_ERROR and a position inside the text, never another error', () => {
  fc.assert(
    fc.property(arbitrarySpelled, fc.nat(), fc.constantFrom('(', ')', "'", '`', ',', 'REFRESH', ''), ({ ddl }, at, insert) => {
      const i = at % (ddl.length + 1)
      const damaged = ddl.slice(0, i) + insert + ddl.slice(i + (insert === '' ? 1 : 0))
      try {
        parseMaterializedView(damaged)
      } catch (e) {
        expect((e as { code?: string }).code).toBe('PARSE_ERROR')
        const { line, column } = (e as { details: { line: number; column: number } }).details
        expect(line).toBeGreaterThanOrEqual(1)
        expect(line).toBeLessThanOrEqual(damaged.split('\n').length)
        expect(column).toBeGreaterThanOrEqual(1)
      }
    }),
    { numRuns: 500 },
  )
})
