#!/usr/bin/env node
import { cancelUnusedTransforms, startTransformService } from './prewarm.js'

startTransformService(process.argv.slice(2))

// `srmv up --sql | head`: a reader that stops early is not an error; stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

// the program is imported after the transform service has been started
void import('./program.js')
  .then(({ runCli }) => runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }))
  .then((code) => {
    process.exitCode = code
    cancelUnusedTransforms()
  })
