import { spawn } from 'node:child_process'
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'
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

/**
 * The same options as esbuild's command-line flags: `{ logLevel: 'silent' }` is `--log-level=silent`,
 * `{ supported: { x: false } }` is `--supported:x=false`. A transform made by esbuild's own process
 * from these flags gives the code the API gives from the options.
 */
export const esbuildFlags = (options: Readonly<Record<string, string | Readonly<Record<string, boolean | string>>>>): string[] => {
  const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
  const out: string[] = []
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'string') out.push(`${flag(key)}=${value}`)
    else for (const [name, v] of Object.entries(value)) out.push(`${flag(key)}:${name}=${String(v)}`)
  }
  return out
}

/**
 * The esbuild executable the installed esbuild package runs: `ESBUILD_BINARY_PATH` when set, else
 * the platform package esbuild itself resolves (`@esbuild/<platform>-<arch>`, next to esbuild). Undefined
 * when there is none (a WebAssembly fallback, an unusual install): the caller uses esbuild's API.
 */
export const esbuildExecutable = (): string | undefined => {
  const fromEnv = process.env.ESBUILD_BINARY_PATH
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  // there esbuild's platform package is WebAssembly run by Node, not an executable
  if ((process.platform === 'android' && process.arch !== 'arm64') || (process.platform as string) === 'openharmony') return undefined
  try {
    const here = createRequire(import.meta.url)
    const nextToEsbuild = createRequire(here.resolve('esbuild'))
    return nextToEsbuild.resolve(`@esbuild/${process.platform}-${process.arch}/${process.platform === 'win32' ? 'esbuild.exe' : 'bin/esbuild'}`)
  } catch {
    return undefined
  }
}

/** A transform running in a process of its own: the text it transforms, its outcome, and a way to stop it. */
export interface ChildTransform {
  /** The text of the file the child reads (read here from the same open file, before the child starts). */
  readonly source: string
  /** The code, or undefined when the child failed (a syntax error, a missing executable) or was stopped. */
  readonly result: Promise<Transformed | undefined>
  /** Stop the child; `result` settles with undefined. */
  stop(): void
}

/**
 * Transform the TypeScript file `file` in a process of its own that reads the file itself. esbuild's
 * API sends the text through a pipe that this process fills only while its event loop runs: a CLI
 * still loading its own modules holds a large schema module back by as long as that takes (about
 * 0.1 s), whereas the child starts parsing at once. The text is read here from the same open file
 * the child reads, so the transform belongs to the text the loader compares. Undefined when the
 * file is not a regular TypeScript file, needs jiti's full transform, or cannot be opened.
 */
export const transformFileInChild = (executable: string, file: string): ChildTransform | undefined => {
  if (!TS_FILE.test(file)) return undefined
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) return undefined
    const bytes = Buffer.allocUnsafe(stat.size)
    let read = 0
    // positioned reads leave the file's offset at 0 for the child
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) break
      read += n
    }
    // decoded as the loader decodes (a byte-order mark dropped), so that the texts compare equal
    const source = new TextDecoder('utf-8').decode(bytes.subarray(0, read))
    if (NEEDS_FULL_TRANSFORM.test(source)) return undefined
    const child = spawn(executable, esbuildFlags(esbuildOptions(true, file)), { stdio: [fd, 'pipe', 'ignore'], windowsHide: true })
    let settle: (value: Transformed | undefined) => void = () => undefined
    const result = new Promise<Transformed | undefined>((resolve) => (settle = resolve))
    const chunks: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.on('error', () => settle(undefined))
    child.on('close', (code) => settle(code === 0 ? { source, ts: true, code: Buffer.concat(chunks).toString('utf8') } : undefined))
    return {
      source,
      result,
      stop: () => {
        settle(undefined)
        child.kill()
      },
    }
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

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
