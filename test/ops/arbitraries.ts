import fc from 'fast-check'
import { MvDefinition, type AlterChange, type RefreshSpec } from '../../src/model/index.js'
import type { Op } from '../../src/ops/index.js'

/** Names with the characters that stress quoting (backticks, quotes, spaces, dots, non-ASCII). */
export const nameArb = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '`', "'", '"', ' ', 'é', '中', '_', '\\', '$'), minLength: 1, maxLength: 10 }) },
)
export const textArb = fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', '`', '\n', '$', '{', '}', 'é', '\r', '\t'), maxLength: 20 })

const intervalArb = fc.record({
  value: fc.integer({ min: 1, max: 1000 }),
  unit: fc.constantFrom('SECOND', 'MINUTE', 'HOUR', 'DAY'),
})
const startArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19).replace('T', ' '))

export const refreshArb: fc.Arbitrary<RefreshSpec> = fc.oneof(
  fc.record({ kind: fc.constant('manual' as const), deferred: fc.boolean() }),
  fc.record({ kind: fc.constant('async' as const), deferred: fc.boolean() }),
  fc.record({ kind: fc.constant('async' as const), deferred: fc.boolean(), every: intervalArb }),
  fc.record({ kind: fc.constant('async' as const), deferred: fc.boolean(), every: intervalArb, start: startArb }),
) as fc.Arbitrary<RefreshSpec>

const propertiesArb = fc.record(
  {
    replication_num: fc.integer({ min: 1, max: 3 }).map(String),
    storage_medium: fc.constantFrom('HDD', 'SSD'),
    partition_ttl_number: fc.integer({ min: -1, max: 100 }).map(String),
    resource_group: textArb.filter((s) => s.length > 0),
    task_priority: fc.integer({ min: 0, max: 100 }).map(String),
    'session.query_timeout': fc.integer({ min: 1, max: 9999 }).map(String),
    my_custom: textArb,
  },
  { requiredKeys: [] },
)

/** Definitions the builder accepts (valid for 3.1 and later, single-expression partitions). */
export const definitionArb: fc.Arbitrary<MvDefinition> = fc
  .record({
    name: nameArb,
    schema: fc.option(nameArb, { nil: undefined }),
    columns: fc.option(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { minLength: 1, maxLength: 4 }), { nil: undefined }),
    comments: fc.array(fc.option(textArb, { nil: undefined }), { minLength: 4, maxLength: 4 }),
    comment: fc.option(textArb, { nil: undefined }),
    partition: fc.constantFrom('none', 'column', 'expression'),
    distribution: fc.constantFrom('none', 'hash', 'random'),
    buckets: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
    orderBy: fc.boolean(),
    refresh: refreshArb,
    properties: propertiesArb,
    query: textArb.map((t) => `SELECT k1, count(v1) AS c FROM t WHERE note = '${t.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}' GROUP BY k1`),
  })
  .map((r) => {
    const cols = r.columns ?? ['k1']
    const first = cols[0] as string
    const { my_custom, ...known } = r.properties
    return MvDefinition.create({
      name: r.name,
      ...(r.schema === undefined ? {} : { schema: r.schema }),
      ...(r.columns === undefined
        ? {}
        : { columns: r.columns.map((name, i) => (r.comments[i] === undefined ? { name } : { name, comment: r.comments[i] as string })) }),
      ...(r.comment === undefined ? {} : { comment: r.comment }),
      ...(r.partition === 'column' ? { partitionBy: [`\`${first}\``] } : r.partition === 'expression' ? { partitionBy: [`date_trunc('day', \`${first}\`)`] } : {}),
      ...(r.distribution === 'hash'
        ? { distribution: { kind: 'hash' as const, columns: [first], ...(r.buckets === undefined ? {} : { buckets: r.buckets }) } }
        : r.distribution === 'random'
          ? { distribution: { kind: 'random' as const, ...(r.buckets === undefined ? {} : { buckets: r.buckets }) } }
          : {}),
      ...(r.orderBy ? { orderBy: [first] } : {}),
      refresh: r.refresh,
      properties: { ...known, ...(my_custom === undefined ? {} : { my_custom }) },
      ...(my_custom === undefined ? {} : { alterableProperties: ['my_custom'] }),
      query: r.query,
    })
  })

const targetArb = fc.record({ schema: fc.option(nameArb, { nil: undefined }), name: nameArb }).map((q) =>
  q.schema === undefined ? { name: q.name } : { schema: q.schema, name: q.name },
)

const changeArb: fc.Arbitrary<AlterChange> = fc.oneof(
  fc.record({ kind: fc.constant('refresh' as const), refresh: refreshArb.map((r) => ({ ...r, deferred: false })) }),
  fc.record({ kind: fc.constant('refresh' as const), refresh: refreshArb.map((r) => ({ ...r, deferred: false })), previous: refreshArb.map((r) => ({ ...r, deferred: false })) }),
  fc.record({ kind: fc.constant('set' as const), properties: fc.record({ task_priority: fc.integer({ min: 0, max: 9 }).map(String), 'session.insert_timeout': fc.integer({ min: 1, max: 9 }).map(String) }, { requiredKeys: ['task_priority'] }) }),
  fc.record({ kind: fc.constant('set' as const), properties: fc.constant({ partition_ttl_number: '5' }), previous: fc.constantFrom({ partition_ttl_number: '3' }, { partition_ttl_number: null }) }),
  fc.record({ kind: fc.constant('rename' as const), newName: nameArb }),
  fc.constant({ kind: 'active' as const }),
  fc.constant({ kind: 'inactive' as const }),
  fc.record({ kind: fc.constant('swap' as const), other: nameArb }),
) as fc.Arbitrary<AlterChange>

/** Every op kind. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('createMaterializedView' as const), definition: definitionArb, ifNotExists: fc.boolean() }),
  fc.record({ kind: fc.constant('dropMaterializedView' as const), target: targetArb, ifExists: fc.boolean(), force: fc.boolean() }),
  definitionArb.chain((definition) =>
    fc.record({
      kind: fc.constant('dropMaterializedView' as const),
      target: fc.constantFrom(
        definition.schema === undefined ? { name: definition.name } : { schema: definition.schema, name: definition.name },
        definition.schema === undefined ? { name: `${definition.name}__srmv_new` } : { schema: definition.schema, name: `${definition.name}__srmv_new` },
      ),
      ifExists: fc.boolean(),
      force: fc.boolean(),
      definition: fc.constant(definition),
    }),
  ),
  fc.record({ kind: fc.constant('alterMaterializedView' as const), target: targetArb, changes: fc.array(changeArb, { minLength: 1, maxLength: 4 }) }),
  fc.record(
    {
      kind: fc.constant('refreshMaterializedView' as const),
      target: targetArb,
      partition: fc.record({ start: textArb, end: textArb }),
      force: fc.boolean(),
      wait: fc.boolean(),
    },
    { requiredKeys: ['kind', 'target', 'force', 'wait'] },
  ),
  fc.record({ kind: fc.constant('cancelRefreshMaterializedView' as const), target: targetArb, force: fc.boolean() }),
  fc.record({ kind: fc.constant('execute' as const), sql: textArb.map((t) => `INSERT INTO t VALUES ('${t.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}')`), down: fc.option(fc.constant('DELETE FROM t'), { nil: undefined }) }).map((e) =>
    e.down === undefined ? { kind: e.kind, sql: e.sql } : e,
  ),
) as fc.Arbitrary<Op>

export const VERSIONS = ['3.1', '3.5', '4.1', '26.2'] as const
