import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { CONFIG_FILES, TS_FILE, transformAhead, transformsStartedAhead } from '../migrate/transform-ahead.js'

/** Commands that never load a TypeScript file (no config, schema or migration). */
const LOADS_NOTHING = new Set(['init', 'help', '--help', '-h', '--version', '-V'])

/** Commands that load the schema module named by the config. */
const LOADS_SCHEMA = new Set(['generate', 'plan', 'check', 'graph', 'health', 'types'])

/** The value of a global option given as `-C dir`, `-Cdir`, `--cwd dir` or `--cwd=dir`; undefined when absent. */
export const optionValue = (argv: readonly string[], short: string, long: string): string | undefined => {
  let value: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--') break
    if (a === short || a === long) value = argv[++i]
    else if (a.startsWith(`${long}=`)) value = a.slice(long.length + 1)
    else if (a.startsWith(short) && !a.startsWith('--') && a.length > short.length) value = a.slice(short.length)
  }
  return value
}

/** The global options that take a value, as their separate-argument forms. */
const VALUE_OPTIONS = new Set(['-C', '--cwd', '-c', '--config'])

/** The command word (or a flag that stops the run early, such as `--version`); undefined when none. */
export const commandOf = (argv: readonly string[]): string | undefined => {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (LOADS_NOTHING.has(a) || !a.startsWith('-')) return a
    if (VALUE_OPTIONS.has(a)) i++
  }
  return undefined
}

/**
 * The schema file a config names as a plain string (`schema: './schema.ts'`), relative to the
 * config's folder; undefined when the config computes it. Only a guess for starting work early: the
 * config itself, once loaded, decides.
 */
export const schemaFileNamedIn = (configFile: string, configText: string): string | undefined => {
  const m = /\bschema\s*:\s*(['"])([^'"\n\\]+)\1/.exec(configText)
  return m === null ? undefined : resolve(dirname(configFile), m[2] as string)
}

/** esbuild, loaded with require(): CommonJS, so no export scan as with import(). */
const esbuildModule = (): typeof import('esbuild') => createRequire(import.meta.url)('esbuild') as typeof import('esbuild')

/** Settles each transform started here with `undefined` (cancelled). */
const cancels: ((value: undefined) => void)[] = []

/** `transform`, or `undefined` as soon as {@link cancelUnusedTransforms} cancels it. */
const cancellable = <T>(transform: Promise<T>): Promise<T | undefined> =>
  Promise.race([transform, new Promise<undefined>((settle) => cancels.push(settle))])

/**
 * Start esbuild's transform service (a child process) for a command that will load TypeScript
 * files, so that the child starts while the CLI's own modules load instead of after them, and hand
 * it the config file and the schema module it names, so that they are transformed meanwhile too.
 * The module loader uses those transforms only when the files still hold the same text. The child
 * is unreferenced while idle: it never keeps the process alive. Any failure here is left to the
 * module loader, which starts the service itself and reports errors in its own words.
 */
export const startTransformService = (argv: readonly string[], cwd: string = process.cwd()): void => {
  const command = commandOf(argv)
  if (command === undefined || LOADS_NOTHING.has(command)) return
  try {
    const esbuild = esbuildModule()
    try {
      esbuild.initialize({}).catch(() => undefined)
    } catch {
      // already started (the CLI run in-process twice): transforms below use the running service
    }
    const dir = resolve(cwd, optionValue(argv, '-C', '--cwd') ?? '.')
    const named = optionValue(argv, '-c', '--config')
    const config = named !== undefined ? resolve(dir, named) : CONFIG_FILES.map((name) => join(dir, name)).find((file) => existsSync(file))
    if (config === undefined || !existsSync(config)) return
    const configText = readFileSync(config, 'utf8')
    const started = transformsStartedAhead()
    if (TS_FILE.test(config)) started.set(config, cancellable(transformAhead(esbuild.transform, config, configText)))
    const schema = LOADS_SCHEMA.has(command) ? schemaFileNamedIn(config, configText) : undefined
    if (schema !== undefined && TS_FILE.test(schema) && existsSync(schema)) started.set(schema, cancellable(transformAhead(esbuild.transform, schema, readFileSync(schema, 'utf8'))))
  } catch {
    // the module loader starts the service, or says why it cannot
  }
}

/**
 * End of a command: a transform started ahead that no loader took (the command failed before it
 * loaded the file, or never needed it) is cancelled by stopping esbuild's child, so the process
 * exits at once instead of waiting for a transform nobody reads (about a second for a 5 MB schema
 * module). Does nothing when every transform was taken, or none was started.
 */
export const cancelUnusedTransforms = (): void => {
  const started = transformsStartedAhead()
  if (started.size === 0) return
  started.clear()
  // esbuild leaves the requests of a stopped service unsettled: settle ours first
  for (const settle of cancels.splice(0)) settle(undefined)
  try {
    const esbuild = esbuildModule()
    esbuild.stop().catch(() => undefined)
  } catch {
    // nothing to stop
  }
}
