/**
 * Type-check cost of the MV DSL. Generates modules of N materialized views built with the full chain
 * (columns, comment, PARTITION BY, DISTRIBUTED BY, ORDER BY, REFRESH, PROPERTIES, a typed `sql`
 * query, and an `alter()` per MV) against the built declarations (dist/), runs
 * `tsc --extendedDiagnostics` on each, and prints instantiations per MV (above an empty module),
 * check time, and the growth from 100 to 1,000 MVs. Each module ends with `defineSchema({...})` over
 * all its MVs and is checked with a deployed declaration (`deployed.d.ts`, written by the package's
 * own writer from a snapshot of the same MVs) that holds every one of them: the worst case of the
 * compile-time check against the deployed state.
 *
 *   npm run bench:types            (builds dist/ first when it is missing)
 *   npm run bench:types -- 100 1000 5000
 *
 * Targets: at most 300 instantiations per MV, no "excessively deep" error, 100 → 1,000 within 11×.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createJiti } from 'jiti'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const work = join(here, '.work')
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0)
const counts = sizes.length > 0 ? sizes : [100, 1000]
const RUNS = 3

if (!existsSync(join(root, 'dist/index.d.ts'))) {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
}

const header = `import { alter, defineSchema, mv, sql, table } from '../../../../dist/index.js'

const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)', status: 'VARCHAR(20)' }, { schema: 'shop' })
const users = table('users', { id: 'BIGINT', name: 'VARCHAR(100)', country: 'VARCHAR(2)' }, { schema: 'shop' })
`

const oneMv = (i) => `
export const mv_${i} = mv('mv_${i}')
  .schema('analytics')
  .columns({ name: 'd', comment: 'day' }, 'user_id', 'name', 'total')
  .comment('bench ${i}')
  .partitionBy(sql\`date_trunc('day', \${sql.id('d')})\`)
  .distributedBy.hash('user_id', { buckets: ${1 + (i % 16)} })
  .orderBy('d', 'user_id')
  .refresh.async({ start: '2025-01-01 00:00:00', every: '${1 + (i % 24)} HOUR' })
  .properties({ replication_num: 1, partition_ttl_number: ${i}, storage_medium: 'SSD', 'session.query_timeout': 600 })
  .as(sql\`SELECT \${orders.order_date} AS d, \${orders.user_id}, \${users.name}, SUM(\${orders.amount}) AS total
FROM \${orders} JOIN \${users} ON \${orders.user_id} = \${users.id}
WHERE \${orders.amount} > \${${i}} AND \${orders.status} = \${'paid'}
GROUP BY \${orders.order_date}, \${orders.user_id}, \${users.name}\`)

export const alter_${i} = alter(mv_${i}).set({ partition_ttl_number: ${i + 1}, 'session.insert_timeout': 3600 }).refresh.manual()
`

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  files: ['mvs.ts', 'deployed.d.ts'],
}

const footer = (n) => `
export default defineSchema({ ${Array.from({ length: n }, (_, i) => `mv_${i}`).join(', ')} })
`

/** The deployed declaration of the module's own MVs: load it, snapshot its MVs, render the declaration. */
const writeDeployed = async (dir) => {
  const pkg = await import(pathToFileURL(join(root, 'dist/index.js')).href)
  const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false })
  const ns = await jiti.import(pathToFileURL(join(dir, 'mvs.ts')).href)
  const mvs = Object.values(ns.default?.mvs ?? {})
  writeFileSync(join(dir, 'deployed.d.ts'), pkg.renderDeployedTypes(pkg.snapshot(mvs)))
  return mvs.length
}

const measure = async (n) => {
  const dir = join(work, `n${n}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  writeFileSync(join(dir, 'mvs.ts'), header + Array.from({ length: n }, (_, i) => oneMv(i)).join('') + footer(n))
  const deployed = await writeDeployed(dir)
  if (deployed !== n) throw new Error(`the deployed declaration holds ${deployed} MVs, expected ${n}`)
  const runs = []
  for (let run = 0; run < RUNS; run++) {
    try {
      runs.push({ out: execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }), failed: false })
    } catch (e) {
      runs.push({ out: `${e.stdout ?? ''}${e.stderr ?? ''}`, failed: true })
    }
  }
  const num = (out, label) => Number((new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(out) ?? [])[1])
  const { out, failed } = runs[0]
  return {
    n,
    instantiations: num(out, 'Instantiations'),
    // the fastest of RUNS runs: other load on the machine only ever adds time
    checkTime: Math.min(...runs.map((r) => num(r.out, 'Check time'))),
    excessivelyDeep: /excessively deep/i.test(out),
    errors: failed ? out.split('\n').filter((l) => /error TS\d+/.test(l)).slice(0, 5) : [],
  }
}

const base = await measure(0)
const results = []
for (const n of counts) results.push(await measure(n))
const rows = results.map((r) => ({
  MVs: r.n,
  instantiations: r.instantiations,
  'per MV': Math.round((r.instantiations - base.instantiations) / r.n),
  'check time (s)': r.checkTime,
  'excessively deep': r.excessivelyDeep ? 'YES' : 'no',
}))
console.log(`baseline (0 MVs): ${base.instantiations} instantiations, check ${base.checkTime}s`)
console.table(rows)
const small = results.find((r) => r.n === 100)
const large = results.find((r) => r.n === 1000)
if (small !== undefined && large !== undefined) {
  const inst = (large.instantiations - base.instantiations) / (small.instantiations - base.instantiations)
  const time = large.checkTime / small.checkTime
  console.log(`growth 100 → 1,000: instantiations ×${inst.toFixed(2)}, check time ×${time.toFixed(2)} (target within ×11)`)
}
let bad = false
for (const r of results) {
  if (r.errors.length > 0) {
    bad = true
    console.error(`${r.n} MVs: type errors:\n  ${r.errors.join('\n  ')}`)
  }
  if (r.excessivelyDeep) bad = true
  if ((r.instantiations - base.instantiations) / r.n > 300) {
    bad = true
    console.error(`${r.n} MVs: more than 300 instantiations per MV`)
  }
}
process.exitCode = bad ? 1 : 0
