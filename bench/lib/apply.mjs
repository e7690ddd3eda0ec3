/**
 * Workload: `Migrator.up()` of one migration of N statements (N = 100 and 800 by default) on an
 * in-process 3.5 emulator, through the library as `srmv up` runs it: the history table, the lock,
 * one history row per statement, each read back by its event id. What it shows is growth: the time
 * per statement at 800 against the time at 100 (a runner that re-read the whole history after every
 * row grew quadratically: 1.7 s for 100 statements, 18 s for 800). No peer: the figure is held to
 * its own target (linear).
 *
 * Runs alone too: `node bench/lib/apply.mjs [100,800]` (after `npm run build`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { noDelayOnAcceptedSockets } from './reflect.mjs'

/** A migration whose up creates `n` views (each with its down). */
const writeMigration = (dir, db, n) => {
  mkdirSync(dir, { recursive: true })
  const lines = []
  for (let i = 0; i < n; i++) lines.push(`    op.execute('CREATE VIEW \`${db}\`.\`v${i}\` AS SELECT ${i} AS x', { down: 'DROP VIEW \`${db}\`.\`v${i}\`' })`)
  writeFileSync(
    join(dir, '20250101000000_many.ts'),
    `import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({\n  up(op) {\n${lines.join('\n')}\n  },\n  down() {},\n})\n`,
  )
}

/** Time `up` of N statements for each size; every size on a fresh database of one emulator. */
export const benchApply = async ({ lib, testing, work, sizes = [100, 800], log = () => undefined }) => {
  noDelayOnAcceptedSockets()
  const sr = await testing.startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  const results = []
  try {
    for (const n of sizes) {
      const db = `bench_apply_${n}`
      const dir = join(work, `apply-${n}`)
      rmSync(dir, { recursive: true, force: true })
      writeMigration(dir, db, n)
      const admin = await lib.connect(sr.url)
      await admin.query(`CREATE DATABASE \`${db}\``)
      await admin.close()
      const client = await lib.connect(`${sr.url}${db}`)
      try {
        const migrator = new lib.Migrator({ client, dir, historyProperties: { replication_num: '1' } })
        await migrator.migrations() // load the file first: the figure is the run, not the TypeScript transform
        const before = sr.statements.length
        const t = process.hrtime.bigint()
        await migrator.up()
        const ms = Number(process.hrtime.bigint() - t) / 1e6
        const sent = sr.statements.slice(before)
        const fullReads = sent.filter((s) => s.startsWith('SELECT') && s.includes('`srmv_migrations`') && !s.includes('WHERE')).length
        results.push({ n, ms, perStatementMs: ms / n, statementsSent: sent.length, fullHistoryReads: fullReads })
        log(`  apply: up of ${n} statements in ${Math.round(ms)} ms (${sent.length} statements sent, the history read in full ${fullReads} times)`)
      } finally {
        await client.close()
      }
    }
  } finally {
    await sr.close()
  }
  return results
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
  const lib = await import(pathToFileURL(join(root, 'dist/index.js')).href)
  const testing = await import(pathToFileURL(join(root, 'dist/testing/index.js')).href)
  const sizes = process.argv[2] === undefined ? undefined : process.argv[2].split(',').map(Number)
  const work = join(root, 'bench/.work')
  const results = await benchApply({ lib, testing, work, ...(sizes === undefined ? {} : { sizes }), log: (l) => process.stderr.write(`${l}\n`) })
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
}
