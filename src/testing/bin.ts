#!/usr/bin/env node
import { Command } from 'commander'
import { startEmulator } from './emulator.js'

const program = new Command()
  .name('srmv-emulator')
  .description('Run a StarRocks emulator (MySQL protocol) until interrupted.')
  .option('--port <port>', 'TCP port (0 picks a free one)', '9030')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--version <version>', 'StarRocks version to behave like', '3.5')
  .option('--replication-num <n>', "the cluster's default replication_num", '3')
  .action(async (opts: { port: string; host: string; version: string; replicationNum: string }) => {
    const sr = await startEmulator({
      port: Number(opts.port),
      host: opts.host,
      version: opts.version,
      defaultReplicationNum: Number(opts.replicationNum),
    })
    console.log(`StarRocks ${sr.version} emulator listening at ${sr.url}`)
    const stop = (): void => {
      void sr.close().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
