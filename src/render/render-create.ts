import { QualifiedName, type MvDefinition, type MvIndex, type Version } from '../model/index.js'
import { queryBody, quoteDoubleString, quoteIdentifier, quoteString } from '../sql/index.js'
import { propertySpec } from './property-catalog.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'
import { renderRefreshScheme } from './render-refresh-scheme.js'
import { validateDefinition } from './validate-definition.js'

/** Options of {@link renderCreate}. */
export interface RenderCreateOptions extends RenderOptions {
  /** Emit `IF NOT EXISTS`. Default false. */
  readonly ifNotExists?: boolean
}

/** Render `PROPERTIES`/`SET` pairs: `"k" = "v", ...`; checks each catalog property's first version. */
export const renderPropertyPairs = (
  properties: Readonly<Record<string, string>>,
  version: Version,
  subject: string,
): string => {
  const entries = Object.entries(properties)
  for (const [key] of entries) {
    const since = propertySpec(key)?.since
    if (since !== undefined) requireVersion(version, since, subject, `the property "${key}"`)
  }
  return entries.map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')
}

/** `INDEX name (cols) [USING kind [("k" = "v")]] [COMMENT 'text']`, as in a column list. */
export const renderIndex = (index: MvIndex): string => {
  let out = `INDEX ${quoteIdentifier(index.name)} (${index.columns.map(quoteIdentifier).join(', ')})`
  if (index.using !== undefined) {
    out += ` USING ${index.using}`
    const props = Object.entries(index.properties ?? {})
    if (props.length > 0) out += ` (${props.map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')})`
  }
  if (index.comment !== undefined) out += ` COMMENT ${quoteString(index.comment)}`
  return out
}

const checkPartitionVersion = (def: MvDefinition, version: Version, subject: string): void => {
  const parts = def.partitionBy ?? []
  if (parts.length > 1) requireVersion(version, '3.5', subject, `PARTITION BY several expressions (${parts.join(', ')})`)
  for (const p of parts) {
    if (/\bstr2date\s*\(/i.test(p)) requireVersion(version, '3.1.4', subject, `PARTITION BY str2date(...)`)
    if (/\btime_slice\s*\(/i.test(p)) requireVersion(version, '3.1', subject, `PARTITION BY time_slice(...)`)
  }
}

/**
 * Render the CREATE MATERIALIZED VIEW statement of `def` for a StarRocks version (default
 * {@link DEFAULT_VERSION}), in the clause order SHOW CREATE prints: the column list, COMMENT,
 * PARTITION BY, DISTRIBUTED BY, ORDER BY, REFRESH, PROPERTIES, AS query. No trailing semicolon.
 *
 * - Never `CREATE OR REPLACE` (StarRocks has none); never a moment without a scheme.
 * - IMMEDIATE is the default moment and is not printed; DEFERRED is.
 * - An async MV with neither DISTRIBUTED BY nor REFRESH gets `REFRESH MANUAL` (the server's default
 *   scheme), because the documented grammar requires at least one of the two.
 * - A clause or property newer than the target version throws `UNSUPPORTED_IN_VERSION`; a malformed
 *   definition throws `INVALID_MV`.
 *
 * @example
 * ```ts
 * renderCreate(mv('m').schema('a').refresh.manual().as('SELECT 1 AS x').definition)
 * // CREATE MATERIALIZED VIEW `a`.`m`\nREFRESH MANUAL\nAS SELECT 1 AS x
 * ```
 */
export const renderCreate = (def: MvDefinition, options?: RenderCreateOptions): string => {
  validateDefinition(def)
  const version = targetVersion(options)
  const subject = QualifiedName.key(def)
  let head = `CREATE MATERIALIZED VIEW ${options?.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${renderQualifiedName(def)}`
  if (def.columns !== undefined) {
    requireVersion(version, '3.0', subject, 'a column list')
    const cols = def.columns.map((c) => (c.comment === undefined ? quoteIdentifier(c.name) : `${quoteIdentifier(c.name)} COMMENT ${quoteString(c.comment)}`))
    if (def.indexes !== undefined && def.indexes.length > 0) {
      requireVersion(version, '3.1', subject, 'indexes in the column list')
      cols.push(...def.indexes.map(renderIndex))
    }
    head += ` (${cols.join(', ')})`
  }
  const lines = [head]
  if (def.comment !== undefined) lines.push(`COMMENT ${quoteString(def.comment)}`)
  if (!def.sync) {
    if (def.partitionBy !== undefined) {
      checkPartitionVersion(def, version, subject)
      lines.push(def.partitionBy.length === 1 ? `PARTITION BY ${def.partitionBy[0] ?? ''}` : `PARTITION BY (${def.partitionBy.join(', ')})`)
    }
    const d = def.distribution
    if (d !== undefined) {
      const buckets = d.buckets === undefined ? '' : ` BUCKETS ${d.buckets}`
      if (d.kind === 'random') requireVersion(version, '3.1', subject, 'DISTRIBUTED BY RANDOM')
      lines.push(d.kind === 'hash' ? `DISTRIBUTED BY HASH(${d.columns.map(quoteIdentifier).join(', ')})${buckets}` : `DISTRIBUTED BY RANDOM${buckets}`)
    }
    if (def.orderBy !== undefined) {
      requireVersion(version, '3.0', subject, 'ORDER BY')
      lines.push(`ORDER BY (${def.orderBy.map(quoteIdentifier).join(', ')})`)
    }
    if (def.refresh !== undefined) {
      if (def.refresh.deferred) requireVersion(version, '3.0', subject, 'REFRESH DEFERRED')
      lines.push(`REFRESH ${def.refresh.deferred ? 'DEFERRED ' : ''}${renderRefreshScheme(def.refresh, { version })}`)
    } else if (d === undefined) {
      lines.push('REFRESH MANUAL')
    }
  }
  if (Object.keys(def.properties).length > 0) {
    lines.push(`PROPERTIES (${renderPropertyPairs(def.properties, version, subject)})`)
  }
  lines.push(`AS ${queryBody(def.query)}`)
  return lines.join('\n')
}
