/**
 * Prints the CREATE statements of the shop's MVs (until the migration CLI drives the example):
 *   npx jiti examples/shop/print-create.ts [version]
 */
import { dailySales, userOrderCounts, userStats } from './schema.js'

const version = process.argv[2] ?? '3.5'
for (const m of [dailySales, userStats, userOrderCounts]) {
  process.stdout.write(`${m.toSQL({ version })};\n\n`)
}
