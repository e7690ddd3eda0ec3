/**
 * Workload: CLI cold start. `srmv --version`, and `srmv up --sql` over a project of 100 migrations
 * (each adds one MV; written by the library's own `generateMigration`), against `drizzle-kit --version`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median, runNode } from './measure.mjs'

/** Write a project whose migrations folder holds `count` migrations, one new MV each. */
export const writeMigrationsProject = (lib, dir, count) => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\n\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', version: '3.5' })\n`)
  const orders = lib.table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
  const mvs = []
  const start = Date.UTC(2025, 0, 1)
  for (let i = 0; i < count; i++) {
    mvs.push(
      lib.mv(`mv_${i}`)
        .schema('analytics')
        .partitionBy('order_date')
        .distributedBy.hash('user_id', { buckets: 1 + (i % 8) })
        .refresh.async({ every: `${1 + (i % 12)} HOUR` })
        .properties({ replication_num: 1 })
        .as(lib.sql`SELECT ${orders.order_date}, ${orders.user_id}, SUM(${orders.amount}) AS total FROM ${orders} WHERE ${orders.amount} > ${i} GROUP BY ${orders.order_date}, ${orders.user_id}`),
    )
    const r = lib.generateMigration({ dir: join(dir, 'migrations'), message: `add mv ${i}`, desired: lib.desiredState(mvs), now: new Date(start + i * 60_000) })
    if (r.kind !== 'written') throw new Error(`generateMigration wrote nothing for migration ${i}`)
  }
  const files = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.ts'))
  if (files.length !== count) throw new Error(`expected ${count} migrations, found ${files.length}`)
  writeFileSync(join(dir, 'schema.ts'), `export {}\n`)
}

/** Median wall times of the cold-start commands over `runs` runs each (alternating). */
export const benchColdStart = ({ lib, paths, work, runs, log }) => {
  const project = join(work, 'migrations-100')
  writeMigrationsProject(lib, project, 100)
  const samples = { version: [], upSql: [], drizzle: [] }
  let statements = 0
  for (let r = 0; r < runs; r++) {
    samples.version.push(runNode(paths.srmv, ['--version'], { cwd: work }).ms)
    samples.drizzle.push(runNode(paths.drizzleKit, ['--version'], { cwd: work }).ms)
    const up = runNode(paths.srmv, ['up', '--sql'], { cwd: project })
    statements = (up.stdout.match(/^CREATE MATERIALIZED VIEW/gm) ?? []).length
    samples.upSql.push(up.ms)
  }
  if (statements !== 100) throw new Error(`srmv up --sql printed ${statements} CREATE statements for 100 migrations`)
  log(`  cold start: ${runs} runs each`)
  rmSync(project, { recursive: true, force: true })
  return { runs, version: median(samples.version), upSql: median(samples.upSql), drizzle: median(samples.drizzle), statements }
}
