import type { QualifiedName } from '../model/index.js'
import { renderQualifiedName } from './render-qualified-name.js'

/** Options of {@link renderDrop}. */
export interface RenderDropOptions {
  /** `IF EXISTS`: no error when the MV is missing. */
  readonly ifExists?: boolean
  /** `FORCE`: drop without waiting for running refreshes. */
  readonly force?: boolean
}

/**
 * `DROP MATERIALIZED VIEW [IF EXISTS] name [FORCE]`.
 *
 * @example
 * ```ts
 * renderDrop({ schema: 'a', name: 'm' }, { ifExists: true }) // DROP MATERIALIZED VIEW IF EXISTS `a`.`m`
 * ```
 */
export const renderDrop = (target: QualifiedName, options?: RenderDropOptions): string =>
  `DROP MATERIALIZED VIEW ${options?.ifExists === true ? 'IF EXISTS ' : ''}${renderQualifiedName(target)}${options?.force === true ? ' FORCE' : ''}`
