import { describe, expect, it } from 'vitest'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { renderCreate } from '../../src/render/index.js'
import { MvDefinition } from '../../src/model/index.js'
import { fixtureFiles, hasShared, readFixture, SKIP_SHARED_MESSAGE } from '../support/shared.js'
import { dailySales, userOrderCounts, userStats } from '../../examples/shop/schema.js'

/** The CREATE statement of a fixture file (the last statement; earlier ones set up the database). */
const lastCreate = (text: string): string | undefined => {
  const at = text.search(/CREATE\s+MATERIALIZED\s+VIEW[\s\S]*$/i)
  return at < 0 ? undefined : text.slice(at).replace(/;\s*$/, '')
}

const comparable = (d: MvDefinition): unknown => {
  const { dependencies: _d, ...rest } = d
  return JSON.parse(JSON.stringify(rest))
}

describe('rendered statements read back through the DDL parser', () => {
  it('the shop MVs round-trip for every refresh spelling', () => {
    for (const m of [dailySales, userStats, userOrderCounts]) {
      for (const version of ['3.5', '4.1', '26.2']) {
        const parsed = parseMaterializedView(m.toSQL({ version }))
        expect(parsed.name).toBe(m.definition.name)
        expect(parsed.refresh ?? { kind: 'manual', deferred: false }).toEqual(m.definition.refresh ?? { kind: 'manual', deferred: false })
        expect(parsed.distribution).toEqual(m.definition.distribution)
      }
    }
  })

  it.skipIf(!hasShared)('user statements from the fixtures render to text that parses to the same definition', () => {
    if (!hasShared) console.warn(SKIP_SHARED_MESSAGE)
    let checked = 0
    const files = ['pairs', 'rewrites'].flatMap((sub) => fixtureFiles(sub).filter((f) => f.endsWith('.user.sql')).map((f) => [sub, f] as const))
    for (const [sub, file] of files) {
      const create = lastCreate(readFixture(sub, file))
      if (create === undefined) continue
      const def = parseMaterializedView(create)
      const rendered = renderCreate(def, { version: 'main' })
      expect(comparable(parseMaterializedView(rendered)), file).toEqual(comparable(def))
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })
})
