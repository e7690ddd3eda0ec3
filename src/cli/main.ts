#!/usr/bin/env node
import { isAbsolute } from 'node:path'
import { cancelUnusedTransforms, commandOf, optionValue, startTransformService } from './prewarm.js'

const argv = process.argv.slice(2)

/**
 * The folder to run in. A shell can sit in a folder that was deleted or moved away: Node then cannot
 * tell its current folder, and only an absolute `-C <dir>` that exists says where to run.
 */
const startFolder = (): string => {
  try {
    return process.cwd()
  } catch {
    const given = optionValue(argv, '-C', '--cwd')
    if (given !== undefined && isAbsolute(given)) {
      try {
        // libraries ask Node for the current folder too: make it the one given
        process.chdir(given)
        return process.cwd()
      } catch {
        // the message below
      }
    }
    // the version and the help need no folder
    if (['--version', '-V', 'help', '--help', '-h'].includes(commandOf(argv) ?? '')) return '/'
    process.stderr.write('srmv: the current folder no longer exists (it was deleted or moved). cd into the project folder, or pass -C <absolute path>, and run again.\n')
    process.exit(2)
  }
}
const cwd = startFolder()

startTransformService(argv, cwd)

// `srmv up --sql | head`: a reader that stops early is not an error; stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

// the program is imported after the transform service has been started
void import('./program.js')
  .then(({ runCli }) => runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd }))
  .then((code) => {
    process.exitCode = code
    cancelUnusedTransforms()
  })
