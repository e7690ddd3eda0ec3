import { QualifiedName, type ViewDefinition, type QualifiedName as QName } from '../model/index.js'
import { queryBody, quoteIdentifier, quoteString } from '../sql/index.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'

const columnList = (def: ViewDefinition): string =>
  def.columns === undefined
    ? ''
    : ` (${def.columns.map((c) => (c.comment === undefined ? quoteIdentifier(c.name) : `${quoteIdentifier(c.name)} COMMENT ${quoteString(c.comment)}`)).join(', ')})`

/**
 * `CREATE VIEW [IF NOT EXISTS] name [(cols)] [COMMENT '...'] [SECURITY ...] AS query`, no trailing semicolon.
 *
 * @example
 * ```ts
 * renderCreateView(ViewDefinition.create({ name: 'v', schema: 'shop', query: 'SELECT 1 AS x' })) // CREATE VIEW `shop`.`v` AS SELECT 1 AS x
 * ```
 */
export const renderCreateView = (def: ViewDefinition, options?: RenderOptions & { readonly ifNotExists?: boolean }): string => {
  const version = targetVersion(options)
  let out = `CREATE VIEW ${options?.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${renderQualifiedName(def)}${columnList(def)}`
  if (def.comment !== undefined) out += `\nCOMMENT ${quoteString(def.comment)}`
  if (def.security !== undefined) {
    requireVersion(version, '3.4.1', QualifiedName.key(def), 'SECURITY')
    out += `\nSECURITY ${def.security}`
  }
  return `${out}\nAS ${queryBody(def.query)}`
}

/**
 * `ALTER VIEW name [(cols)] AS query`: replaces the query (and column list) of an existing view.
 *
 * @example
 * ```ts
 * renderAlterView(ViewDefinition.create({ name: 'v', query: 'SELECT 2 AS x' })) // ALTER VIEW `v`\nAS SELECT 2 AS x
 * ```
 */
export const renderAlterView = (def: ViewDefinition, _options?: RenderOptions): string =>
  `ALTER VIEW ${renderQualifiedName(def)}${columnList(def)}\nAS ${queryBody(def.query)}`

/** `DROP VIEW [IF EXISTS] name`. */
export const renderDropView = (target: QName, options?: { readonly ifExists?: boolean }): string =>
  `DROP VIEW ${options?.ifExists === true ? 'IF EXISTS ' : ''}${renderQualifiedName(target)}`
