import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Jiti, TransformOptions, TransformResult } from 'jiti'
import type { transform as Transform, transformSync as TransformSync } from 'esbuild'
import { StarRocksMvError } from '../errors.js'
import { esbuildOptions, NEEDS_FULL_TRANSFORM, transformAhead, transformsStartedAhead, type Transformed } from './transform-ahead.js'

/**
 * Loads a TypeScript or JavaScript module by absolute path and returns its exports: each read once,
 * when the module has run, as a read-only data property (not a live binding).
 */
export type ModuleLoader = (file: string) => Promise<Record<string, unknown>>

/** The package name that user files import from. */
export const PACKAGE_NAME = 'starrocks-mv'

/**
 * TypeScript to CommonJS with esbuild: several times faster than jiti's Babel pass on large schema
 * modules (10,000 MVs), with far less garbage. Files that use `import.meta`, or that esbuild cannot
 * turn into CommonJS (top-level `await`), go through jiti's own transform.
 */
const fastTransform = (transformSync: typeof TransformSync, fallback: (opts: TransformOptions) => string, ready: ReadonlyMap<string, Transformed>) => (opts: TransformOptions): TransformResult => {
  if (NEEDS_FULL_TRANSFORM.test(opts.source)) return { code: fallback(opts) }
  const done = opts.filename === undefined ? undefined : ready.get(opts.filename)
  if (done !== undefined && done.source === opts.source && done.ts === (opts.ts === true)) return { code: done.code }
  try {
    const out = transformSync(opts.source, esbuildOptions(opts.ts === true, opts.filename))
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
  let loader: Promise<{ jiti: Jiti; transform: typeof Transform }> | undefined
  // The file asked for is transformed ahead with esbuild's asynchronous service (one child process,
  // no worker thread: tens of milliseconds less start-up than the synchronous API); files it imports
  // go through the synchronous transform when jiti reaches them.
  const ready = new Map<string, Transformed>()
  const jitiOf = (): Promise<{ jiti: Jiti; transform: typeof Transform }> =>
    (loader ??= Promise.resolve().then(() => {
      // both are CommonJS: require() skips the export scan an ESM import() of them costs (about 100 ms)
      const load = createRequire(import.meta.url)
      const { createJiti } = load('jiti') as typeof import('jiti')
      const { transform, transformSync } = load('esbuild') as typeof import('esbuild')
      const full = createJiti(import.meta.url, base)
      return { jiti: createJiti(import.meta.url, { ...base, transform: fastTransform(transformSync, (opts) => full.transform(opts), ready) }), transform }
    }))
  // A transform the CLI started before the package loaded is taken once, and used when the file
  // still holds the text it was made from; otherwise the file is transformed now.
  const prepare = async (transform: typeof Transform, file: string, source: string): Promise<void> => {
    const startedAhead = transformsStartedAhead()
    const early = startedAhead.get(file)
    startedAhead.delete(file)
    const done = (early === undefined ? undefined : await early) ?? undefined
    const made = done !== undefined && done.source === source ? done : await transformAhead(transform, file, source)
    if (made !== undefined) ready.set(file, made)
  }
  return async (file) => {
    if (!existsSync(file)) {
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} does not exist. Check the path (paths in srmv.config.ts are relative to the config file).`, { file })
    }
    const stat = statSync(file)
    if (stat.isDirectory()) {
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} is a folder, not a file. Check the path (paths in srmv.config.ts are relative to the config file).`, { file })
    }
    if (!stat.isFile()) {
      // reading a FIFO would wait for a writer that may never come
      throw new StarRocksMvError('FILE_NOT_FOUND', `${file} is not a regular file (a FIFO, socket or device); srmv loads only files. Replace it with a file.`, { file })
    }
    const source = assertUtf8(file)
    try {
      const { jiti, transform } = await jitiOf()
      await prepare(transform, file, source)
      try {
        const ns = ((await jiti.import(pathToFileURL(file).href)) ?? {}) as Record<string, unknown>
        // Each export is read once, into plain data properties: CommonJS made from a module reads
        // an export through two getters, and the schema is read more than once. An export read
        // through a getter that throws is named here, not found later as a bare error.
        const values: Record<string, unknown> = {}
        for (const key of Object.keys(ns)) {
          let value: unknown
          try {
            value = ns[key]
          } catch (e) {
            const reason = e instanceof Error ? e.message : String(e)
            throw new StarRocksMvError('MODULE_LOAD_ERROR', `reading its export "${key}" threw: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Fix the file and run again.`, { export: key }, { cause: e })
          }
          Object.defineProperty(values, key, { value, enumerable: true, writable: false, configurable: false })
        }
        return values
      } finally {
        ready.delete(file)
      }
    } catch (e) {
      if (e instanceof StarRocksMvError) {
        throw new StarRocksMvError(e.code, `${file}: ${e.message}`, { ...e.details, file }, { cause: e })
      }
      const reason = e instanceof Error ? e.message : String(e)
      throw new StarRocksMvError('MODULE_LOAD_ERROR', `${file} failed to load: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Fix the file and run again.`, { file }, { cause: e })
    }
  }
}

/** Source files must be UTF-8: anything else would turn names and SQL text into replacement characters silently. Returns the text. */
const assertUtf8 = (file: string): string => {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    const code = (e as { code?: unknown }).code
    if (code !== 'EACCES' && code !== 'EPERM') throw e
    throw new StarRocksMvError('FILE_NOT_FOUND', `${file} cannot be read (permission denied). Give your user read access to it and run again.`, { file, errno: code }, { cause: e })
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes)
    const at = text.indexOf('\uFFFD')
    const line = at < 0 ? 1 : text.slice(0, at).split('\n').length
    throw new StarRocksMvError('INVALID_ENCODING', `${file} is not valid UTF-8 (line ${line}). Save it as UTF-8 and run again.`, { file, line })
  }
}
