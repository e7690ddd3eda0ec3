import type { QualifiedName } from '../model/index.js'
import { renderQualifiedName } from './render-qualified-name.js'

/**
 * `CANCEL REFRESH MATERIALIZED VIEW name [FORCE]`.
 *
 * @example
 * ```ts
 * renderCancelRefresh({ schema: 'a', name: 'm' }) // CANCEL REFRESH MATERIALIZED VIEW `a`.`m`
 * ```
 */
export const renderCancelRefresh = (target: QualifiedName, options?: { readonly force?: boolean }): string =>
  `CANCEL REFRESH MATERIALIZED VIEW ${renderQualifiedName(target)}${options?.force === true ? ' FORCE' : ''}`
