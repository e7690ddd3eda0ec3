#!/usr/bin/env node
import { writeSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { cancelUnusedTransforms, commandOf, optionValue, startTransformService } from './prewarm.js'

const argv = process.argv.slice(2)

/**
 * Whether the command ran to its end. Node ends a process whose event loop has nothing left to do
 * even while a promise is pending: a schema module, config or migration whose top-level `await`
 * never settles would end srmv silently with exit code 0, and CI would take that for success.
 */
let finished = false

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
    finished = true
    process.exit(2)
  }
}
const cwd = startFolder()

startTransformService(argv, cwd)

// `srmv up --sql | head`: a reader that stops early is not an error. The rest of the output goes
// nowhere and the command runs to its end: `srmv up | head -1` must not stop a migration halfway
// and leave the lock held.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return
    throw e
  })
}

process.on('exit', (code) => {
  // a crash has said what went wrong already
  if (finished || code !== 0) return
  process.exitCode = 1
  try {
    writeSync(
      2,
      'srmv: stopped before the command finished: a file it loaded (the config, the schema module or a migration) waits at its top level ' +
        'for something that never happens (an `await` of a promise that never settles, or a cycle of imports that use top-level await). ' +
        'Remove that await from the file, or move it into a function, and run again.\n',
    )
  } catch {
    // stderr is gone or full: the exit code still says it
  }
})

/**
 * End the process once the output is written: a timer or socket a user's module left open (a
 * `setInterval` in the schema module) must not keep srmv running after its work is done.
 */
const exitOnceWritten = (code: number): void => {
  finished = true
  process.exitCode = code
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

// the program is imported after the transform service has been started
void import('./program.js')
  .then(({ runCli }) => runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd }))
  .then(
    (code) => {
      cancelUnusedTransforms()
      exitOnceWritten(code)
    },
    (e: unknown) => {
      process.stderr.write(`srmv: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
      exitOnceWritten(1)
    },
  )
