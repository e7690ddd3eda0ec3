import { describe, expect, test } from 'vitest'
import { definitionChanges, equivalent } from '../../src/diff/index.js'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { renderCreate } from '../../src/render/index.js'
import { mv } from '../../src/schema/index.js'
import { propertySpec } from '../../src/schema/property-catalog.js'
import { sql } from '../../src/sql/index.js'

// SHOW CREATE of an MV on a shared-data cluster: the server adds the storage properties below.
const SHARED_DATA = `CREATE MATERIALIZED VIEW \`daily\` (\`dt\`, \`total\`)
DISTRIBUTED BY HASH(\`dt\`)
REFRESH MANUAL
PROPERTIES (
"compression" = "LZ4",
"datacache.enable" = "true",
"enable_async_write_back" = "false",
"replicated_storage" = "true",
"replication_num" = "1",
"storage_volume" = "builtin_storage_volume"
)
AS SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt;`

const desired = mv('daily').distributedBy.hash('dt').refresh.manual().as(sql`SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt`)

describe('properties of shared-data clusters', () => {
  test('what the server adds on its own is not drift', () => {
    const live = parseMaterializedView(SHARED_DATA)
    expect(definitionChanges(live, desired.definition, { mode: 'live', version: '3.5' })).toEqual([])
    expect(equivalent(live, desired.definition, { version: '3.5' })).toBe(true)
  })

  test('a value other than the default still is', () => {
    const live = parseMaterializedView(SHARED_DATA.replace('"datacache.enable" = "true"', '"datacache.enable" = "false"'))
    const changes = definitionChanges(live, desired.definition, { mode: 'live', version: '3.5' })
    expect(changes).toEqual([expect.objectContaining({ kind: 'propertyRemoved', key: 'datacache.enable', from: 'false', alterable: false })])
  })

  test('the catalog types them, and they render as strings', () => {
    expect(propertySpec('transparent_mv_rewrite_mode')).toMatchObject({ type: 'enum', values: ['false', 'true', 'transparent_or_error', 'transparent_or_default'], alterable: false })
    expect(propertySpec('datacache.enable')).toMatchObject({ type: 'boolean', alterable: false, since: '3.1' })
    expect(propertySpec('enable_async_write_back')).toMatchObject({ type: 'boolean', default: 'false' })
    const m = mv('m').refresh.manual().properties({ 'datacache.enable': false, 'datacache.partition_duration': '7 DAY', transparent_mv_rewrite_mode: 'transparent_or_error', compression: 'ZSTD' })
      .as(sql`SELECT 1 AS one`)
    expect(renderCreate(m.definition, { version: '3.5' })).toContain(
      'PROPERTIES ("datacache.enable" = "false", "datacache.partition_duration" = "7 DAY", "transparent_mv_rewrite_mode" = "transparent_or_error", "compression" = "ZSTD")',
    )
    // @ts-expect-error: not one of the modes
    expect(() => mv('m').properties({ transparent_mv_rewrite_mode: 'sometimes' })).toThrow(/transparent_mv_rewrite_mode/)
    // the version each needs
    expect(() => renderCreate(m.definition, { version: '3.0' })).toThrow(/3\.1/)
  })
})

describe('RANGE distribution (shared-data, 4.1+)', () => {
  // StarRocks prints no DISTRIBUTED BY for a range-distributed MV (RangeDistributionInfo's SQL is empty):
  // an MV declared without .distributedBy on a cluster whose default is RANGE comes back like this.
  const RANGE = SHARED_DATA.replace('DISTRIBUTED BY HASH(`dt`)\n', 'ORDER BY (`dt`)\n')
  const ordered = mv('daily').orderBy('dt').refresh.manual().as(sql`SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt`)

  test('parses, and matches an MV declared without a distribution', () => {
    const live = parseMaterializedView(RANGE)
    expect(live.distribution).toBeUndefined()
    expect(live.orderBy).toEqual(['dt'])
    expect(definitionChanges(live, ordered.definition, { mode: 'live', version: '4.1' })).toEqual([])
  })

  test('an explicit distribution still differs from it', () => {
    const live = parseMaterializedView(RANGE)
    const hashed = mv('daily').orderBy('dt').distributedBy.hash('dt').refresh.manual().as(sql`SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt`)
    expect(definitionChanges(live, hashed.definition, { mode: 'live', version: '4.1' }).map((c) => c.kind)).toEqual(['distributionChanged'])
  })
})
