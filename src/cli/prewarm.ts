import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { CONFIG_FILES, esbuildExecutable, TS_FILE, transformAhead, transformFileInChild, transformsStartedAhead } from '../migrate/transform-ahead.js'

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

/** A regular file (not a folder, FIFO or device, which reading ahead could block on). */
const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** esbuild, loaded with require(): CommonJS, so no export scan as with import(). */
const esbuildModule = (): typeof import('esbuild') => createRequire(import.meta.url)('esbuild') as typeof import('esbuild')

/** Settles each transform started here with `undefined` (cancelled), stopping its process when it has one. */
const cancels: ((value: undefined) => void)[] = []

/** `transform`, or `undefined` as soon as {@link cancelUnusedTransforms} cancels it. */
const cancellable = <T>(transform: Promise<T>): Promise<T | undefined> =>
  Promise.race([transform, new Promise<undefined>((settle) => cancels.push(settle))])

/**
 * Start transforming the config file and the schema module it names, for a command that will load
 * them, while the CLI's own modules load. Each file goes to an esbuild process of its own that reads
 * the file itself (see {@link transformFileInChild}); where esbuild's executable cannot be found, to
 * esbuild's transform service. The module loader uses those transforms only when the files still
 * hold the same text. Any failure here is left to the module loader, which starts the service itself
 * and reports errors in its own words.
 */
export const startTransformService = (argv: readonly string[], cwd?: string): void => {
  const command = commandOf(argv)
  if (command === undefined || LOADS_NOTHING.has(command)) return
  try {
    const dir = resolve(cwd ?? process.cwd(), optionValue(argv, '-C', '--cwd') ?? '.')
    const named = optionValue(argv, '-c', '--config')
    const config = named !== undefined ? resolve(dir, named) : CONFIG_FILES.map((name) => join(dir, name)).find(isFile)
    if (config === undefined || !isFile(config)) return
    const configText = readFileSync(config, 'utf8')
    const schema = LOADS_SCHEMA.has(command) ? schemaFileNamedIn(config, configText) : undefined
    const files = [config, ...(schema !== undefined && isFile(schema) ? [schema] : [])].filter((file) => TS_FILE.test(file))
    const executable = esbuildExecutable()
    const started = transformsStartedAhead()
    const rest: string[] = []
    for (const file of files) {
      const child = executable === undefined ? undefined : transformFileInChild(executable, file)
      if (child === undefined) rest.push(file)
      else {
        cancels.push(() => child.stop())
        started.set(file, child.result)
      }
    }
    // the service transforms the rest, and the files the command loads later (migrations)
    const esbuild = esbuildModule()
    try {
      esbuild.initialize({}).catch(() => undefined)
    } catch {
      // already started (the CLI run in-process twice): transforms below use the running service
    }
    for (const file of rest) started.set(file, cancellable(transformAhead(esbuild.transform, file, file === config ? configText : readFileSync(file, 'utf8'))))
  } catch {
    // the module loader starts the service, or says why it cannot
  }
}

/**
 * End of a command: a transform started ahead that no loader took (the command failed before it
 * loaded the file, or never needed it) is cancelled by stopping the esbuild process doing it, so the
 * process exits at once instead of waiting for a transform nobody reads (about a second for a 5 MB schema
 * module). Does nothing when every transform was taken, or none was started.
 */
export const cancelUnusedTransforms = (): void => {
  const started = transformsStartedAhead()
  if (started.size === 0) return
  started.clear()
  // stops each transform's own process; esbuild leaves the requests of a stopped service unsettled,
  // so ours are settled before the service stops
  for (const settle of cancels.splice(0)) settle(undefined)
  try {
    const esbuild = esbuildModule()
    esbuild.stop().catch(() => undefined)
  } catch {
    // nothing to stop
  }
}
