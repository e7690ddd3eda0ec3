import type { transform as Transform } from 'esbuild'

/**
 * What the module loader and the CLI's start-up share about transforming TypeScript ahead of its
 * load. Kept apart from the rest of the package so that the CLI's entry can start the transforms of
 * the config and schema files before it loads the package's own modules.
 */

/** The config file names looked for, in order. */
export const CONFIG_FILES = ['srmv.config.ts', 'srmv.config.mts', 'srmv.config.js', 'srmv.config.mjs'] as const

/** TypeScript files, which jiti always transforms. */
export const TS_FILE = /\.[cm]?tsx?$/

/** Sources the fast transform cannot express inside jiti's function wrapper. */
export const NEEDS_FULL_TRANSFORM = /\bimport\.meta\b/

/**
 * esbuild's options for turning a module into CommonJS for jiti: the same for a transform made
 * ahead and one made when jiti reaches the file, so that either gives the same code. Template
 * literals are left as they are: esbuild's lowering of a tagged template turns some escapes
 * JavaScript cannot read (`\1`, `\8`, `\u{110000}`) into other characters, where the engine hands
 * the tag `undefined` (which `sql` refuses) — a query would change without a word.
 */
export const esbuildOptions = (ts: boolean, filename: string | undefined) =>
  ({ loader: ts ? 'ts' : 'js', format: 'cjs', target: 'node20', ...(filename === undefined ? {} : { sourcefile: filename }), logLevel: 'silent' }) as const

/** A file's code transformed ahead of its load, with the source and loader it was made from. */
export interface Transformed {
  readonly source: string
  readonly ts: boolean
  readonly code: string
}

/** Transform `source` (the text of the TypeScript file `file`) with esbuild's service; undefined when it cannot (the loader then reports why). */
export const transformAhead = async (transform: typeof Transform, file: string, source: string): Promise<Transformed | undefined> => {
  if (!TS_FILE.test(file) || NEEDS_FULL_TRANSFORM.test(source)) return undefined
  try {
    return { source, ts: true, code: (await transform(source, esbuildOptions(true, file))).code }
  } catch {
    // the synchronous path reports it, or hands it to the full transform
    return undefined
  }
}

const STARTED = Symbol.for('starrocks-mv.transforms-started-ahead')

/**
 * Transforms started by the CLI before the package loaded, by absolute file name. Held on
 * `globalThis` because the CLI's entry and the module loader are separate bundles. A loader takes
 * an entry once and uses it only when the file's text is still the text it was made from.
 */
export const transformsStartedAhead = (): Map<string, Promise<Transformed | undefined>> => {
  const g = globalThis as { [STARTED]?: Map<string, Promise<Transformed | undefined>> }
  return (g[STARTED] ??= new Map())
}
