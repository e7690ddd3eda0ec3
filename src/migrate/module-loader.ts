import { existsSync, readFileSync, statSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Jiti, TransformOptions, TransformResult } from 'jiti'
import type { transformSync as TransformSync } from 'esbuild'
import { StarRocksMvError } from '../errors.js'

/** Loads a TypeScript or JavaScript module by absolute path and returns its namespace. */
export type ModuleLoader = (file: string) => Promise<Record<string, unknown>>

/** The package name that user files import from. */
export const PACKAGE_NAME = 'starrocks-mv'

/** Sources the fast transform cannot express inside jiti's function wrapper. */
const NEEDS_FULL_TRANSFORM = /\bimport\.meta\b/

/**
 * TypeScript to CommonJS with esbuild: several times faster than jiti's Babel pass on large schema
 * modules (10,000 MVs), with far less garbage. Files that use `import.meta`, or that esbuild cannot
 * turn into CommonJS (top-level `await`), go through jiti's own transform.
 */
const fastTransform = (transformSync: typeof TransformSync, fallback: (opts: TransformOptions) => string) => (opts: TransformOptions): TransformResult => {
  if (NEEDS_FULL_TRANSFORM.test(opts.source)) return { code: fallback(opts) }
  try {
    const out = transformSync(opts.source, {
      loader: opts.ts === true ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      ...(opts.filename === undefined ? {} : { sourcefile: opts.filename }),
      logLevel: 'silent',
    })
    return { code: out.code }
  } catch {
    // The full transform handles what esbuild refuses, or reports the syntax error in its own words.
    return { code: fallback(opts) }
  }
}

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
  const base = { fsCache: false, moduleCache: false, interopDefault: false, virtualModules } as const
  // jiti and esbuild are loaded with the first file, so commands that load none start faster
  let loader: Promise<Jiti> | undefined
  const jitiOf = (): Promise<Jiti> =>
    (loader ??= Promise.all([import('jiti'), import('esbuild')]).then(([{ createJiti }, { transformSync }]) => {
      const full = createJiti(import.meta.url, base)
      return createJiti(import.meta.url, { ...base, transform: fastTransform(transformSync, (opts) => full.transform(opts)) })
    }))
  return async (file) => {
    if (!existsSync(file)) {
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} does not exist. Check the path (paths in srmv.config.ts are relative to the config file).`, { file })
    }
    if (statSync(file).isDirectory()) {
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} is a folder, not a file. Check the path (paths in srmv.config.ts are relative to the config file).`, { file })
    }
    assertUtf8(file)
    try {
      const jiti = await jitiOf()
      const ns = await jiti.import(pathToFileURL(file).href)
      return (ns ?? {}) as Record<string, unknown>
    } catch (e) {
      if (e instanceof StarRocksMvError) {
        throw new StarRocksMvError(e.code, `${file}: ${e.message}`, { ...e.details, file }, { cause: e })
      }
      const reason = e instanceof Error ? e.message : String(e)
      throw new StarRocksMvError('MODULE_LOAD_ERROR', `${file} failed to load: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Fix the file and run again.`, { file }, { cause: e })
    }
  }
}

/** Source files must be UTF-8: anything else would turn names and SQL text into replacement characters silently. */
const assertUtf8 = (file: string): void => {
  const bytes = readFileSync(file)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes)
    const at = text.indexOf('\uFFFD')
    const line = at < 0 ? 1 : text.slice(0, at).split('\n').length
    throw new StarRocksMvError('INVALID_ENCODING', `${file} is not valid UTF-8 (line ${line}). Save it as UTF-8 and run again.`, { file, line })
  }
}
