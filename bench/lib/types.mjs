/**
 * Workload: type-check cost. Ours comes from `npm run bench:types` (bench/types/run.mjs: a fully
 * built MV chain plus an `alter()` per MV, instantiations per MV above an empty module). The peer
 * line checks drizzle-orm's `mysqlView` definitions of the generate workload (a query-builder view
 * per MV, two tables) the same way: `tsc --extendedDiagnostics`, instantiations above the module
 * with the tables only.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeDrizzleProject } from './projects.mjs'

const parseTable = (out) => {
  const rows = []
  for (const line of out.split('\n')) {
    const cells = line.split('│').map((c) => c.trim()).filter((c) => c !== '')
    if (cells.length >= 6 && /^\d+$/.test(cells[1] ?? '')) {
      rows.push({ n: Number(cells[1]), instantiations: Number(cells[2]), perMv: Number(cells[3]), checkSeconds: Number(cells[4]), excessivelyDeep: !/no/.test(cells[5]) })
    }
  }
  return rows
}

/** Run bench:types (it builds nothing when dist/ exists) and read its table. */
export const runTypesBench = ({ root }) => {
  let out
  let failed = false
  try {
    out = execFileSync(process.execPath, [join(root, 'bench/types/run.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  } catch (e) {
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`
    failed = true
  }
  return { rows: parseTable(out), failed, output: out }
}

const instantiations = (root, dir) => {
  const tsconfig = {
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: [] },
    files: ['schema.ts'],
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig))
  // drizzle.config.ts is not part of the program; the schema module alone is checked
  const out = execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return {
    instantiations: Number((/^Instantiations:\s+(\d+)/m.exec(out) ?? [])[1]),
    checkSeconds: Number((/^Check time:\s+([\d.]+)/m.exec(out) ?? [])[1]),
  }
}

/** Instantiations per drizzle-orm view for each size. */
export const drizzleTypes = ({ root, work, sizes }) => {
  const base = (() => {
    const dir = join(work, 'drizzle-types-0')
    writeDrizzleProject(dir, 0)
    return instantiations(root, dir)
  })()
  return sizes.map((n) => {
    const dir = join(work, `drizzle-types-${n}`)
    writeDrizzleProject(dir, n)
    const r = instantiations(root, dir)
    return { n, instantiations: r.instantiations, perMv: Math.round((r.instantiations - base.instantiations) / n), checkSeconds: r.checkSeconds }
  })
}
