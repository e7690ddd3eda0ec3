import { StarRocksMvError } from '../errors.js'
import { atLeast, DEFAULT_VERSION, parseVersion, type Version } from '../model/index.js'

/** Options shared by the renderers. */
export interface RenderOptions {
  /**
   * The StarRocks version to render for: a string such as `'3.5'`, `'4.1.1-ee'`, `'26.2.0'`, or a
   * parsed {@link Version}. Default: {@link DEFAULT_VERSION} (`'3.5'`).
   */
  readonly version?: string | Version
}

/** The version to render for: the option, or {@link DEFAULT_VERSION}. */
export const targetVersion = (options?: RenderOptions): Version => parseVersion(options?.version ?? DEFAULT_VERSION)

/**
 * Throws `UNSUPPORTED_IN_VERSION` unless `version` is `since` or newer. `subject` names the MV (or
 * statement target) and `feature` the clause or property, so the message says what to remove.
 */
export const requireVersion = (version: Version, since: string, subject: string, feature: string): void => {
  if (atLeast(version, since)) return
  throw new StarRocksMvError(
    'UNSUPPORTED_IN_VERSION',
    `${subject}: ${feature} needs StarRocks ${since} or newer, but the target version is ${version.text}. ` +
      'Remove it, or render for a newer version (the "version" option or config).',
    { mv: subject, feature, since, version: version.text },
  )
}
