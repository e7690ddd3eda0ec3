import { describe, expect, it } from 'vitest'
import { opToCode, type AlterChange } from '../../src/index.js'
import { renderAlter } from '../../src/render/index.js'
import { errorOf } from '../support/error-of.js'

const t = { schema: 'analytics', name: 'daily' }

describe('renderAlter: ADD COLUMN, DROP COLUMN, ORDER BY (4.2+)', () => {
  it('renders the exact clauses, names quoted and comments escaped', () => {
    expect(renderAlter(t, { kind: 'addColumn', name: 'n`x', expression: ' count(`id`) ', comment: "it's\\n" }, { version: '4.2' })).toBe(
      "ALTER MATERIALIZED VIEW `analytics`.`daily` ADD COLUMN `n``x` AS count(`id`) COMMENT 'it\\'s\\\\n'",
    )
    expect(renderAlter(t, { kind: 'dropColumn', name: 'total' }, { version: '4.2.3' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily` DROP COLUMN `total`')
    expect(renderAlter(t, { kind: 'orderBy', columns: ['k2', 'k1'] }, { version: '26.2' })).toBe('ALTER MATERIALIZED VIEW `analytics`.`daily` ORDER BY (`k2`, `k1`)')
  })

  it('refuses them before 4.2, and without a name, expression or column', () => {
    const cases: [AlterChange, string][] = [
      [{ kind: 'addColumn', name: 'n', expression: 'count(id)' }, 'ALTER ... ADD COLUMN needs StarRocks 4.2 or newer, but the target version is 4.1'],
      [{ kind: 'dropColumn', name: 'n' }, 'ALTER ... DROP COLUMN needs StarRocks 4.2 or newer, but the target version is 4.1'],
      [{ kind: 'orderBy', columns: ['k'] }, 'ALTER ... ORDER BY needs StarRocks 4.2 or newer, but the target version is 4.1'],
    ]
    for (const [change, message] of cases) {
      const e = errorOf(() => renderAlter(t, change, { version: '4.1' }))
      expect(e.code).toBe('UNSUPPORTED_IN_VERSION')
      expect(e.message).toContain(message)
    }
    expect(errorOf(() => renderAlter(t, { kind: 'addColumn', name: 'n', expression: '  ' }, { version: '4.2' })).code).toBe('INVALID_ALTER')
    expect(errorOf(() => renderAlter(t, { kind: 'dropColumn', name: '' }, { version: '4.2' })).code).toBe('INVALID_ALTER')
    expect(errorOf(() => renderAlter(t, { kind: 'orderBy', columns: [] }, { version: '4.2' })).code).toBe('INVALID_ALTER')
  })

  it('writes them as data in migration code, keeping what reverses them', () => {
    const code = opToCode({ kind: 'alterMaterializedView', target: t, changes: [{ kind: 'dropColumn', name: 'total', previous: { expression: 'sum(amount)', last: true } }] })
    expect(code).toContain("kind: 'dropColumn'")
    expect(code).toContain("expression: 'sum(amount)'")
    expect(code).toContain('last: true')
  })
})
