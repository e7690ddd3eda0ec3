import { describe, expect, it } from 'vitest'
import type { TableAlterChange } from '../../src/model/index.js'
import { op, reverse, toStatements } from '../../src/ops/index.js'
import { renderAlterTableStatements, renderCopyRows } from '../../src/render/index.js'

const t = { schema: 'shop', name: 'events' }
const head = 'ALTER TABLE `shop`.`events`'

describe('ALTER TABLE partitions, indexes and SWAP', () => {
  it('ADD PARTITION in the three forms of the docs (LESS THAN, [lower, upper), IN), DROP PARTITION by name', () => {
    const changes: TableAlterChange[] = [
      { kind: 'addPartition', entry: { kind: 'range', partition: { name: 'p202403', lessThan: ['2024-04-01'] } } },
      { kind: 'addPartition', entry: { kind: 'range', partition: { name: 'p2024q2', lower: ['2024-04-01'], upper: ['2024-07-01'] } } },
      { kind: 'dropPartition', name: 'p202401' },
    ]
    expect(renderAlterTableStatements(t, changes)).toEqual([
      `${head} DROP PARTITION \`p202401\``,
      `${head} ADD PARTITION \`p202403\` VALUES LESS THAN ("2024-04-01")`,
      `${head} ADD PARTITION \`p2024q2\` VALUES [("2024-04-01"), ("2024-07-01"))`,
    ])
    expect(renderAlterTableStatements(t, [
      { kind: 'addPartition', entry: { kind: 'list', partition: { name: 'p_west', values: [['Los Angeles'], ['San Diego']] } } },
      { kind: 'addPartition', entry: { kind: 'list', partition: { name: 'p_0401', values: [['2024-04-01', 'LA'], ['2024-04-01', 'SF']] } } },
    ])).toEqual([
      `${head} ADD PARTITION \`p_west\` VALUES IN ("Los Angeles", "San Diego")`,
      `${head} ADD PARTITION \`p_0401\` VALUES IN (("2024-04-01", "LA"), ("2024-04-01", "SF"))`,
    ])
  })

  it('values and names go through the quoting helpers', () => {
    const [s] = renderAlterTableStatements(t, [{ kind: 'addPartition', entry: { kind: 'list', partition: { name: 'p`x', values: [['a"b\\c']] } } }])
    expect(s).toBe(`${head} ADD PARTITION \`p\`\`x\` VALUES IN ("a\\"b\\\\c")`)
  })

  it('index changes are one statement each: DROP INDEX first, ADD INDEX after the column changes (a new column can be indexed)', () => {
    const changes: TableAlterChange[] = [
      { kind: 'addIndex', index: { name: 'ix_note', columns: ['note'], using: 'NGRAMBF', properties: { gram_num: '4', bloom_filter_fpp: '0.05' }, comment: 'like' } },
      { kind: 'addColumn', column: { name: 'note', type: 'VARCHAR(100)', nullable: true }, after: 'id' },
      { kind: 'dropIndex', name: 'ix_old' },
      { kind: 'addIndex', index: { name: 'ix_user', columns: ['user_id'], using: 'BITMAP' } },
    ]
    expect(renderAlterTableStatements(t, changes)).toEqual([
      `${head} DROP INDEX \`ix_old\``,
      `${head} ADD COLUMN \`note\` VARCHAR(100) NULL AFTER \`id\``,
      `${head} ADD INDEX \`ix_note\` (\`note\`) USING NGRAMBF ("gram_num" = "4", "bloom_filter_fpp" = "0.05") COMMENT 'like'`,
      `${head} ADD INDEX \`ix_user\` (\`user_id\`) USING BITMAP`,
    ])
    expect(() => renderAlterTableStatements(t, changes, { version: '3.1' })).toThrow(/NGRAMBF indexes.*3\.2/)
  })

  it('SWAP WITH, then RENAME last', () => {
    expect(renderAlterTableStatements(t, [{ kind: 'swap', other: 'events__srmv_new' }])).toEqual([`${head} SWAP WITH \`events__srmv_new\``])
  })

  it('the copy step of a rebuild: INSERT INTO new (cols) SELECT cols FROM old', () => {
    expect(renderCopyRows(t, { schema: 'shop', name: 'events__srmv_new' }, ['id', 'dt'])).toBe(
      'INSERT INTO `shop`.`events__srmv_new` (`id`, `dt`) SELECT `id`, `dt` FROM `shop`.`events`',
    )
    expect(() => renderCopyRows(t, t, [])).toThrow(/at least one column/)
    const copy = op.copyRows('shop.events', 'shop.events__srmv_new', ['id'])
    expect(toStatements(reverse(copy))).toEqual(['INSERT INTO `shop`.`events` (`id`) SELECT `id` FROM `shop`.`events__srmv_new`'])
    expect(JSON.parse(JSON.stringify(copy))).toEqual(copy)
  })

  it('partition and index changes reverse, when they recorded what was there', () => {
    const entry = { kind: 'range' as const, partition: { name: 'p1', lessThan: ['2024-02-01'] } }
    const index = { name: 'ix', columns: ['id'], using: 'BITMAP' as const }
    const a = op.alterTable(t, [{ kind: 'dropPartition', name: 'p1', previous: entry }, { kind: 'addIndex', index }])
    expect(toStatements(reverse(a))).toEqual([`${head} DROP INDEX \`ix\``, `${head} ADD PARTITION \`p1\` VALUES LESS THAN ("2024-02-01")`])
    expect(reverse(reverse(a))).toEqual(a)
    expect(() => reverse(op.alterTable(t, [{ kind: 'dropPartition', name: 'p1' }]))).toThrow(/does not record the dropped partition/)
    expect(() => reverse(op.alterTable(t, [{ kind: 'dropIndex', name: 'ix' }]))).toThrow(/does not record the dropped index/)
  })
})
