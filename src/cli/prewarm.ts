import { createRequire } from 'node:module'

/** Commands that never load a TypeScript file (no config, schema or migration). */
const LOADS_NOTHING = new Set(['init', 'help', '--help', '-h', '--version', '-V'])

/**
 * Start esbuild's transform service (a child process) for a command that will load TypeScript
 * files, so that the child starts while the CLI's own modules load instead of after them. The
 * child is unreferenced while idle: it never keeps the process alive. Any failure here is left to
 * the module loader, which starts the service itself and reports errors in its own words.
 */
export const startTransformService = (argv: readonly string[]): void => {
  const command = argv.find((a) => !a.startsWith('-') || LOADS_NOTHING.has(a))
  if (command === undefined || LOADS_NOTHING.has(command)) return
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
    esbuild.initialize({}).catch(() => undefined)
  } catch {
    // the module loader starts it, or says why it cannot
  }
}
