import { describe, expect, test } from 'vitest'
import { tableChanges } from '../../src/diff/canonical-table.js'
import { SchemaState, TableDefinition, ViewDefinition } from '../../src/model/index.js'
import { tableAndViewDrift } from '../../src/migrate/project.js'

const users = TableDefinition.create({
  name: 'users', schema: 'store',
  columns: [
    { name: 'id', type: 'BIGINT', nullable: false },
    { name: 'name', type: 'VARCHAR(100)', nullable: true },
  ],
  key: { model: 'PRIMARY', columns: ['id'] },
  distribution: { kind: 'hash', columns: ['id'], buckets: 4 },
  properties: { replication_num: '1' },
})
const view = ViewDefinition.create({ name: 'names', schema: 'store', query: 'SELECT name FROM store.users' })
const state = (tables: TableDefinition[], views: ViewDefinition[] = []): SchemaState => SchemaState.create([], { tables, views })

describe('table and view drift, in words, server first', () => {
  test('equal states: no drift', () => {
    expect(tableAndViewDrift(state([users], [view]), state([users], [view]))).toEqual([])
  })

  test('columns added, missing and changed; comment, distribution and properties', () => {
    const server = TableDefinition.with(users, {
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false },
        { name: 'name', type: 'VARCHAR(200)', nullable: true, comment: 'display' },
        { name: 'nickname', type: 'VARCHAR(30)', nullable: true, default: { kind: 'value', value: 'none' } },
      ],
      comment: 'by hand',
      distribution: { kind: 'hash', columns: ['id'], buckets: 8 },
      properties: { replication_num: '1', bloom_filter_columns: 'name' },
    })
    expect(tableAndViewDrift(state([server]), state([users]))).toEqual([
      'store.users: the server has column nickname VARCHAR(30) NULL DEFAULT "none"; the schema does not declare it',
      'store.users: the server has column name VARCHAR(200) NULL COMMENT "display"; the schema wants name VARCHAR(100) NULL',
      'store.users: the server has COMMENT "by hand"; the schema wants ""',
      'store.users: the server has DISTRIBUTED BY HASH(id) BUCKETS 8; the schema wants HASH(id) BUCKETS 4',
      'store.users: the server has bloom_filter_columns = name; the schema does not set it',
    ])
  })

  test('a missing column, a table or view on one side only, a view with another query', () => {
    const server = TableDefinition.with(users, { columns: [{ name: 'id', type: 'BIGINT', nullable: false }] })
    const otherView = ViewDefinition.with(view, { query: 'SELECT id FROM store.users', comment: 'ids' })
    const extra = TableDefinition.with(users, { name: 'extra' })
    expect(tableAndViewDrift(state([server, extra], [otherView]), state([users], [view, ViewDefinition.with(view, { name: 'gone' })]))).toEqual([
      'store.extra: the server has this table; the schema does not declare it',
      'store.users: the server does not have column name; the schema wants name VARCHAR(100) NULL',
      'store.gone: the server does not have this view; the schema wants it created',
      "store.names: the server's query differs from the schema's",
      'store.names: the server has COMMENT "ids"; the schema wants ""',
    ])
  })

  test('the column order alone', () => {
    const server = TableDefinition.with(users, { columns: [...users.columns].reverse(), key: { model: 'DUPLICATE', columns: ['name'] } })
    expect(tableAndViewDrift(state([server]), state([TableDefinition.with(users, { key: { model: 'DUPLICATE', columns: ['id'] } })]))).toContain(
      'store.users: the server has the columns in the order (name, id); the schema wants (id, name)',
    )
  })
})

describe('tableChanges against a server: an unstated bucket count accepts the one the server chose', () => {
  const unstated = TableDefinition.with(users, { distribution: { kind: 'hash', columns: ['id'] } })
  test('live: no change; from snapshots: a change', () => {
    expect(tableChanges(users, unstated, { live: true })).toEqual([])
    expect(tableChanges(unstated, users, { live: true })).toEqual([])
    expect(tableChanges(users, unstated).map((c) => c.attribute)).toEqual(['distribution'])
    // stated on both sides, the counts still compare
    expect(tableChanges(users, TableDefinition.with(users, { distribution: { kind: 'hash', columns: ['id'], buckets: 2 } }), { live: true }).map((c) => c.attribute)).toEqual(['distribution'])
  })
})
