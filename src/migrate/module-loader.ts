import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { createJiti } from 'jiti'
import { StarRocksMvError } from '../errors.js'

/** Loads a TypeScript or JavaScript module by absolute path and returns its namespace. */
export type ModuleLoader = (file: string) => Promise<Record<string, unknown>>

/** The package name that user files import from. */
export const PACKAGE_NAME = 'starrocks-mv'

/**
 * A loader for config, schema and migration files: TypeScript without a build step (jiti). Imports
 * of `starrocks-mv` (and `starrocks-mv/testing`) inside those files resolve to `packageModule` when
 * given, so that user files share this very copy of the package (its classes and symbols).
 * Nothing is cached: a file changed on disk is read again.
 */
export const createModuleLoader = (options: { readonly packageModule?: unknown; readonly testingModule?: unknown } = {}): ModuleLoader => {
  const virtualModules: Record<string, unknown> = {}
  if (options.packageModule !== undefined) virtualModules[PACKAGE_NAME] = options.packageModule
  if (options.testingModule !== undefined) virtualModules[`${PACKAGE_NAME}/testing`] = options.testingModule
  const jiti = createJiti(import.meta.url, {
    fsCache: false,
    moduleCache: false,
    interopDefault: false,
    virtualModules,
  })
  return async (file) => {
    if (!existsSync(file)) {
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} does not exist.`, { file })
    }
    try {
      const ns = await jiti.import(pathToFileURL(file).href)
      return (ns ?? {}) as Record<string, unknown>
    } catch (e) {
      if (e instanceof StarRocksMvError) {
        throw new StarRocksMvError(e.code, `${file}: ${e.message}`, { ...e.details, file }, { cause: e })
      }
      const reason = e instanceof Error ? e.message : String(e)
      throw new StarRocksMvError('MODULE_LOAD_ERROR', `${file} failed to load: ${reason}. Fix the file and run again.`, { file }, { cause: e })
    }
  }
}
