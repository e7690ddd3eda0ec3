import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'
import { cli, executeMigration, figures, project, uniq, type Run } from './support.js'

/**
 * Bad input: each case names its input and the way out, exits with the documented code, and
 * leaves nothing half-written (no new or changed files in the project after a failure; no history
 * row for a statement that did not run).
 */

const available = await mariadbAvailable()
const tag = uniq()
const fig = figures('bad-input')
const kinds: Record<string, number> = {}
let sr: Emulator
let dbCount = 0

const ORDERS = `import { mv, sql, table, defineSchema } from 'starrocks-mv'
export const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' })
`
const schemaWith = (body: string): string => `${ORDERS}${body}\n`
const good = `export const daily = mv('daily_mv').refresh.manual().as(sql\`SELECT \${orders.order_date}, SUM(\${orders.amount}) AS total FROM \${orders} GROUP BY \${orders.order_date}\`)`

/** A fresh emulator database with the orders table; returns its URL. */
const emulatorDb = async (): Promise<string> => {
  const db = `bad_${dbCount++}`
  const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  await c.query(`CREATE DATABASE ${db}`)
  await c.query(`CREATE TABLE ${db}.orders (id BIGINT, order_date DATE, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
  await c.end()
  return `starrocks://root@127.0.0.1:${sr.port}/${db}`
}

/** Every file of a folder with its size and mtime: what "nothing was written" compares. */
const listing = (dir: string): string[] => {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else out.push(`${p} ${st.size} ${st.mtimeMs}`)
    }
  }
  walk(dir)
  return out.sort()
}

interface Case {
  readonly name: string
  readonly kind: string
  /** Prepare the project (and server); returns extra env. */
  readonly setup?: (dir: string) => Promise<Record<string, string> | void> | Record<string, string> | void
  readonly schema?: string
  readonly args: readonly string[]
  readonly code: number
  /** The input the message must name. */
  readonly names: readonly (string | RegExp)[]
  /** The way out the message must give. */
  readonly wayOut: RegExp
  /** Folder to run from, relative to the project (default the project). */
  readonly from?: string
  /** Check after the run (e.g. the history). */
  readonly after?: (dir: string, run: Run, env: Record<string, string>) => Promise<void>
}

const migrationFile = (dir: string, name: string, text: string): void => writeFileSync(join(dir, 'migrations', `${name}.ts`), text)
const applied = async (dir: string, url: string, extra: (d: string) => void = () => undefined): Promise<Record<string, string>> => {
  executeMigration(dir, '20250101000000_first', [['CREATE TABLE first_t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE first_t']])
  extra(dir)
  const r = await cli(dir, ['up'], { STARROCKS_URL: url })
  expect(r.code, r.stderr).toBe(0)
  return { STARROCKS_URL: url }
}
/** No `statement` row in the history for anything after `ran`. */
const historyRows = async (dir: string, env: Record<string, string>): Promise<{ event: string; migrationId: string }[]> =>
  JSON.parse((await cli(dir, ['history', '--json'], env)).stdout) as { event: string; migrationId: string }[]

/** A project whose first migration (from `good`) is generated, then the schema module replaced by `schema`: a DROP would be written if the loader lost an MV. */
const generatedThen = (schema: string, config?: string) => async (d: string): Promise<void> => {
  if (config !== undefined) writeFileSync(join(d, 'srmv.config.ts'), config)
  const first = await cli(d, ['generate', '-m', 'first'])
  expect(first.code, first.stderr).toBe(0)
  writeFileSync(join(d, 'schema.ts'), schema)
}
const configWith = (fields: string): string => `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', historyProperties: { replication_num: '1' }, ${fields} })\n`
const longName = `sales_${'x'.repeat(50)}_mv`
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1')
/** No byte of the output is a raw control character other than newline. */
const noRawControls = async (_d: string, r: Run): Promise<void> => expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/)

const CASES: Case[] = [
  // ---------------------------------------------------------------- schema modules
  { name: 'schema module with a syntax error', kind: 'schema module', schema: 'export const = ;', args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts'], wayOut: /Fix the file/ },
  { name: 'schema module that throws', kind: 'schema module', schema: "throw new Error('schema exploded')", args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'schema exploded'], wayOut: /Fix the file/ },
  { name: 'schema file missing', kind: 'schema module', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), "import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './nope.ts', migrations: './migrations' })\n"), args: ['generate', '-m', 'x'], code: 1, names: ['nope.ts'], wayOut: /Check the path/ },
  { name: 'duplicate MV names', kind: 'schema module', schema: schemaWith(`${good}\nexport const again = mv('daily_mv').refresh.manual().as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['daily_mv', 'daily', 'again'], wayOut: /rename|Rename|remove|one of/i },
  { name: 'dependency cycle', kind: 'schema module', schema: schemaWith("export const a = mv('cyc_a').refresh.manual().as('SELECT x FROM cyc_b')\nexport const b = mv('cyc_b').refresh.manual().as('SELECT x FROM cyc_a')"), args: ['generate', '-m', 'x'], code: 1, names: ['cyc_a', 'cyc_b'], wayOut: /cycle/i },
  { name: 'escape hatch property with an object value', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.manual().properties({}, { unknown: { my_key: {} as never } }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'my_key'], wayOut: /must be a string, a finite number or a boolean/ },
  { name: 'escape hatch property with NaN', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.manual().properties({}, { unknown: { my_key: Number.NaN } }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'my_key', 'NaN'], wayOut: /must be a string, a finite number or a boolean/ },
  { name: 'catalog property of the wrong type', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.manual().properties({ replication_num: 'three' as never }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'replication_num', 'three'], wayOut: /must be a whole number/ },
  { name: 'invalid interval', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.async({ every: '1 FORTNIGHT' as never }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'FORTNIGHT'], wayOut: /DAY|HOUR|MINUTE/ },
  { name: 'zero interval', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.async({ every: '0 DAY' as never }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', '0 DAY'], wayOut: /positive|at least|whole/i },
  { name: 'invalid START time', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.async({ start: '2025-13-45 25:00:00' as never, every: '1 DAY' }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', '2025-13-45 25:00:00'], wayOut: /yyyy-MM-dd HH:mm:ss/ },
  { name: 'START in another format', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.async({ start: '01/02/2025' as never, every: '1 DAY' }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', '01/02/2025'], wayOut: /yyyy-MM-dd HH:mm:ss/ },
  { name: 'bucket count 0', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.manual().distributedBy.hash('id', { buckets: 0 }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', /bucket/i, '0'], wayOut: /positive|at least|whole/i },
  { name: 'fractional bucket count', kind: 'bad values', schema: schemaWith(`export const p = mv('p_mv').refresh.manual().distributedBy.random({ buckets: 2.5 }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', /bucket/i, '2.5'], wayOut: /whole|integer/i },
  // ---------------------------------------------------------------- config
  { name: 'config with a syntax error', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), 'export default {'), args: ['up', '--sql'], code: 1, names: ['srmv.config.ts'], wayOut: /Fix the file/ },
  { name: 'config without a default export', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), 'export const x = 1\n'), args: ['up', '--sql'], code: 1, names: ['srmv.config.ts'], wayOut: /export default defineConfig/ },
  { name: 'config with an unknown version', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), "import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', version: 'banana' })\n"), args: ['up', '--sql'], code: 1, names: ['banana'], wayOut: /version/ },
  { name: 'running from the wrong folder', kind: 'usage', args: ['status'], from: 'migrations', code: 2, names: [/srmv\.config/], wayOut: /srmv init|--cwd/ },
  { name: '--cwd of a folder that does not exist', kind: 'usage', args: ['--cwd', '/nonexistent/srmv-project', 'status'], code: 2, names: ['/nonexistent/srmv-project'], wayOut: /srmv init|--cwd/ },
  // ---------------------------------------------------------------- migration files
  { name: 'migration with a syntax error', kind: 'migration file', setup: (d) => migrationFile(d, '20250101000000_broken', 'export default defineMigration({ up(op) { op.execute( } })'), args: ['up', '--sql'], code: 1, names: ['20250101000000_broken.ts'], wayOut: /Fix the file/ },
  { name: 'migration whose up() throws', kind: 'migration file', setup: (d) => migrationFile(d, '20250101000000_throws', "import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({ up() { throw new Error('up exploded') }, down() {} })\n"), args: ['up', '--sql'], code: 1, names: ['20250101000000_throws', 'up exploded'], wayOut: /Fix|fix/ },
  { name: 'migration without a default export', kind: 'migration file', setup: (d) => migrationFile(d, '20250101000000_nodefault', "import { defineMigration } from 'starrocks-mv'\nexport const m = defineMigration({ up() {}, down() {} })\n"), args: ['up', '--sql'], code: 1, names: ['20250101000000_nodefault.ts'], wayOut: /export default defineMigration/ },
  { name: 'migration exporting something else', kind: 'migration file', setup: (d) => migrationFile(d, '20250101000000_other', 'export default { up: 1 }\n'), args: ['up', '--sql'], code: 1, names: ['20250101000000_other.ts'], wayOut: /export default defineMigration/ },
  { name: 'two migrations with one id', kind: 'migration file', setup: (d) => { executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]); executeMigration(d, '20250101000000_b', [['SELECT 2', 'SELECT 2']]) }, args: ['up', '--sql'], code: 1, names: ['20250101000000_a.ts', '20250101000000_b.ts'], wayOut: /Rename one/ },
  { name: 'a non-UTF-8 migration file', kind: 'encoding', setup: (d) => writeFileSync(join(d, 'migrations', '20250101000000_latin1.ts'), Buffer.concat([Buffer.from("import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({ up(op) { op.execute('SELECT \\'caf"), Buffer.from([0xe9]), Buffer.from("\\'') }, down() {} })\n")])), args: ['up', '--sql'], code: 1, names: ['20250101000000_latin1.ts', 'line 2'], wayOut: /Save it as UTF-8/ },
  { name: 'a non-UTF-8 schema module', kind: 'encoding', setup: (d) => writeFileSync(join(d, 'schema.ts'), Buffer.concat([Buffer.from(`${ORDERS}export const p = mv('caf`), Buffer.from([0xe9]), Buffer.from("_mv').refresh.manual().as('SELECT 1')\n")])), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'line 3'], wayOut: /Save it as UTF-8/ },
  // ---------------------------------------------------------------- targets and flags
  { name: 'unknown target for up', kind: 'targets', setup: (d) => executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]), args: ['up', '--sql', '20990101'], code: 2, names: ['20990101', '20250101000000_a'], wayOut: /srmv status|head \/ base/ },
  { name: 'unknown target for down', kind: 'targets', setup: (d) => executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]), args: ['down', '--sql', 'nope'], code: 2, names: ['nope'], wayOut: /srmv status|head \/ base/ },
  { name: 'ambiguous target prefix', kind: 'targets', setup: (d) => { executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]); executeMigration(d, '20250101000001_b', [['SELECT 1', 'SELECT 1']]) }, args: ['up', '--sql', '2025'], code: 2, names: ['2025', '20250101000000_a', '20250101000001_b'], wayOut: /more of the id/ },
  { name: '--steps 0', kind: 'targets', args: ['down', '--steps', '0'], code: 2, names: ['0'], wayOut: /whole number/ },
  { name: '--wait-lock abc', kind: 'targets', setup: async () => ({ STARROCKS_URL: await emulatorDb() }), args: ['up', '--wait-lock', 'abc'], code: 2, names: ['abc', '--wait-lock'], wayOut: /number of seconds/ },
  { name: '--rebuild sideways', kind: 'targets', args: ['plan', '--rebuild', 'sideways'], code: 2, names: ['sideways'], wayOut: /swap or drop-create/ },
  { name: 'resolve without an outcome', kind: 'targets', args: ['resolve', '20250101000000'], code: 2, names: ['resolve'], wayOut: /--applied, --rolled-back/ },
  { name: 'a malformed test hook', kind: 'targets', setup: async () => ({ STARROCKS_URL: await emulatorDb(), SRMV_TEST_KILL_AT: 'whenever' }), args: ['up'], code: 2, names: ['whenever', 'SRMV_TEST_KILL_AT'], wayOut: /unset it/ },
  // ---------------------------------------------------------------- server-side targets and history
  { name: 'unknown target for stamp', kind: 'targets', setup: async (d) => applied(d, await emulatorDb()), args: ['stamp', '2099'], code: 2, names: ['2099', '20250101000000_first'], wayOut: /srmv status/ },
  { name: 'unknown migration for resolve', kind: 'targets', setup: async (d) => applied(d, await emulatorDb()), args: ['resolve', '2099', '--applied'], code: 2, names: ['2099'], wayOut: /srmv status/ },
  { name: 'resolve --ran with nothing unknown', kind: 'targets', setup: async (d) => applied(d, await emulatorDb()), args: ['resolve', '20250101000000', '--ran'], code: 2, names: ['20250101000000_first'], wayOut: /srmv status/ },
  { name: 'up --resume with nothing partial', kind: 'targets', setup: async (d) => applied(d, await emulatorDb()), args: ['up', '--resume'], code: 2, names: ['--resume'], wayOut: /without --resume/ },
  {
    name: 'an applied migration edited afterwards', kind: 'history',
    setup: async (d) => {
      const env = await applied(d, await emulatorDb())
      executeMigration(d, '20250101000000_first', [['CREATE TABLE first_t (id BIGINT, extra INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE first_t']])
      executeMigration(d, '20250102000000_second', [['CREATE TABLE second_t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE second_t']])
      return env
    },
    args: ['up'], code: 1, names: ['20250101000000_first'], wayOut: /resolve 20250101000000 --applied|new migration/,
    after: async (d, _r, env) => expect((await historyRows(d, env)).filter((e) => e.migrationId === '20250102000000')).toEqual([]),
  },
  {
    name: 'an applied migration deleted', kind: 'history',
    setup: async (d) => {
      const env = await applied(d, await emulatorDb())
      const { rmSync } = await import('node:fs')
      rmSync(join(d, 'migrations', '20250101000000_first.ts'))
      executeMigration(d, '20250102000000_second', [['CREATE TABLE second_t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE second_t']])
      return env
    },
    args: ['up'], code: 1, names: ['20250101000000'], wayOut: /Restore the file|--rolled-back/,
    after: async (d, _r, env) => expect((await historyRows(d, env)).filter((e) => e.migrationId === '20250102000000')).toEqual([]),
  },
  { name: 'a corrupt snapshot', kind: 'history', setup: (d) => { executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]); writeFileSync(join(d, 'migrations', '20250101000000_a.snapshot.json'), '{"mvs": [') }, schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['20250101000000_a.snapshot.json'], wayOut: /Restore it from version control \(e\.g\. git checkout -- .*20250101000000_a\.snapshot\.json\).*If 20250101000000_a\.ts was never applied anywhere, you may instead delete it and its snapshot and run srmv generate again\.$/m, after: async (_d, r) => expect(r.stderr).not.toMatch(/srmv stamp/) },
  { name: 'a snapshot of the wrong shape', kind: 'history', setup: (d) => { executeMigration(d, '20250101000000_a', [['SELECT 1', 'SELECT 1']]); writeFileSync(join(d, 'migrations', '20250101000000_a.snapshot.json'), '{"mvs": 42}') }, schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['20250101000000_a.snapshot.json'], wayOut: /Restore it from version control \(e\.g\. git checkout -- /, after: async (_d, r) => expect(r.stderr).not.toMatch(/srmv stamp/) },
  // ---------------------------------------------------------------- an invalid MV is never "no MV" (a DROP would follow)
  { name: 'MV with a duplicate column', kind: 'schema module', setup: generatedThen(schemaWith("export const daily = mv('daily_mv').columns('order_date', 'order_date').refresh.manual().as(sql`SELECT 1 AS a, 2 AS b`)")), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "daily"', 'daily_mv', 'names the column "order_date" twice'], wayOut: /Fix it/ },
  { name: 'MV whose hash column is not in its column list', kind: 'schema module', setup: generatedThen(schemaWith("export const daily = mv('daily_mv').columns('a').distributedBy.hash('b').refresh.manual().as(sql`SELECT 1 AS a`)")), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "daily"', 'daily_mv', '"b"'], wayOut: /Add it to \.columns\(\.\.\.\)/ },
  { name: '.sync() MV with a distribution', kind: 'schema module', setup: generatedThen(schemaWith("export const daily = mv('daily_mv').sync().distributedBy.random().as(sql`SELECT ${orders.id} FROM ${orders}`)")), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "daily"', 'daily_mv', 'DISTRIBUTED BY'], wayOut: /Remove \.sync\(\) or the clause/ },
  { name: 'MV without .as()', kind: 'schema module', setup: generatedThen(schemaWith("export const daily = mv('daily_mv').refresh.manual()")), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "daily"', 'daily_mv', 'no query'], wayOut: /call \.as\(sql`SELECT \.\.\.`\)/ },
  { name: 'MV exported as a Promise', kind: 'schema module', setup: generatedThen(schemaWith(`export const daily = Promise.resolve(${good.replace('export const daily = ', '')})`)), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "daily"', 'Promise'], wayOut: /Export the materialized views themselves/ },
  { name: 'MV exported inside an array', kind: 'schema module', setup: generatedThen(schemaWith(`export const all = [${good.replace('export const daily = ', '')}]`)), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "all"', 'daily_mv', 'all[0]'], wayOut: /Export it .* or list it in defineSchema/ },
  { name: 'defineSchema entry with a validation error', kind: 'schema module', setup: generatedThen(schemaWith("const daily = mv('daily_mv').columns('a', 'a').refresh.manual().as(sql`SELECT 1 AS a, 2 AS b`)\nexport default defineSchema({ daily } as never)")), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'export "default.daily"', 'daily_mv', 'names the column "a" twice'], wayOut: /Fix it/ },
  { name: 'defineSchema of undefined', kind: 'schema module', setup: generatedThen(schemaWith('export default defineSchema(undefined as never)')), schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'defineSchema()', 'undefined'], wayOut: /takes an object of materialized views/ },
  { name: 'one MV with and without its database', kind: 'schema module', setup: () => ({ STARROCKS_URL: 'starrocks://root@127.0.0.1:1/shop' }), schema: schemaWith(`${good}\nexport const again = mv('daily_mv').schema('shop').refresh.manual().as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x'], code: 1, names: ['"daily" (daily_mv)', '"again" (shop.daily_mv)'], wayOut: /Give both the database \(\.schema\('shop'\)\), or rename one/ },
  { name: 'control characters in an MV name', kind: 'schema module', schema: schemaWith("export const a = mv('ev\\x1b[2K\\ril_mv').refresh.manual().as('SELECT 1')\nexport const b = mv('ev\\x1b[2K\\ril_mv').refresh.manual().as('SELECT 2')"), args: ['generate', '-m', 'x'], code: 1, names: ['ev\\u001b[2K\\u000dil_mv'], wayOut: /Rename one/, after: noRawControls },
  // ---------------------------------------------------------------- bad values caught at build time
  { name: 'PARTITION BY expression as a plain string', kind: 'bad values', schema: schemaWith("export const p = mv('p_mv').partitionBy(\"date_trunc('day', order_date)\").refresh.manual().as(sql`SELECT ${orders.order_date} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', "date_trunc('day', order_date)"], wayOut: /Write an expression with the sql tag, e\.g\. \.partitionBy\(sql`/ },
  { name: 'an absurd refresh interval', kind: 'bad values', schema: schemaWith("export const p = mv('p_mv').refresh.async({ every: '99999999999999999999 DAY' as never }).as(sql`SELECT ${orders.id} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', '99999999999999999999 DAY'], wayOut: /at most 2147483647/ },
  { name: 'an absurd bucket count', kind: 'bad values', schema: schemaWith("export const p = mv('p_mv').refresh.manual().distributedBy.hash('id', { buckets: 1e300 }).as(sql`SELECT ${orders.id} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'BUCKETS', '1e+300'], wayOut: /at most 2147483647/ },
  { name: 'a __proto__ property key', kind: 'bad values', schema: schemaWith("export const p = mv('p_mv').refresh.manual().properties({}, { unknown: { ['__proto__']: 'x' } as never }).as(sql`SELECT ${orders.id} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', '__proto__'], wayOut: /No StarRocks property has this name/ },
  // ---------------------------------------------------------------- generate writes nothing when a step would fail
  { name: 'swap temporary name over 64 characters', kind: 'generate', setup: generatedThen(schemaWith(`export const big = mv('${longName}').refresh.manual().distributedBy.hash('id', { buckets: 8 }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`)), schema: schemaWith(`export const big = mv('${longName}').refresh.manual().distributedBy.hash('id', { buckets: 4 }).as(sql\`SELECT \${orders.id} FROM \${orders}\`)`), args: ['generate', '-m', 'x', '--rebuild', 'swap'], code: 1, names: [`${longName}__srmv_new`, '64'], wayOut: /--rebuild drop-create/ },
  { name: 'a property newer than the configured version', kind: 'generate', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), configWith("version: '2.5'")), schema: schemaWith("export const p = mv('p_mv').refresh.manual().properties({ partition_refresh_strategy: 'adaptive' }).as(sql`SELECT ${orders.id} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['p_mv', 'partition_refresh_strategy', '3.5', '2.5'], wayOut: /Remove it, or render for a newer version/ },
  {
    name: 'a migration id past the year 9999', kind: 'generate',
    setup: async (d) => {
      await generatedThen(schemaWith(good))(d)
      for (const f of readdirSync(join(d, 'migrations'))) if (f.includes('_first.')) renameSync(join(d, 'migrations', f), join(d, 'migrations', f.replace(/^\d{14}/, '99991231235959')))
    },
    schema: schemaWith(good), args: ['generate', '-m', 'x', '--empty'], code: 1, names: ['99991231235959', '100000101000000'], wayOut: /Check the system clock/ },
  // ---------------------------------------------------------------- encoding
  {
    name: 'a Latin-1 snapshot', kind: 'encoding',
    setup: async (d) => {
      await generatedThen(schemaWith(good))(d)
      const snap = readdirSync(join(d, 'migrations')).find((f) => f.endsWith('.snapshot.json')) as string
      writeFileSync(join(d, 'migrations', snap), latin1(readFileSync(join(d, 'migrations', snap), 'utf8')))
    },
    schema: schemaWith(good.replace("mv('daily_mv')", "mv('daily_mv').comment('café')")), args: ['generate', '-m', 'x'], code: 1, names: [/_first\.snapshot\.json is not valid UTF-8 \(line \d+\)/], wayOut: /Save it as UTF-8 \(or restore it from version control\)/,
  },
  {
    name: 'a snapshot with a hand-edited MV', kind: 'history',
    setup: async (d) => {
      await generatedThen(schemaWith(good))(d)
      const snap = join(d, 'migrations', readdirSync(join(d, 'migrations')).find((f) => f.endsWith('.snapshot.json')) as string)
      const state = JSON.parse(readFileSync(snap, 'utf8')) as { mvs: Record<string, unknown>[] }
      ;(state.mvs[0] as Record<string, unknown>).distribution = { kind: 'hash' }
      writeFileSync(snap, JSON.stringify(state))
    },
    schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: [/_first\.snapshot\.json is not a valid snapshot: daily_mv: DISTRIBUTED BY HASH must be a list of column names/], wayOut: /Restore it from version control/,
    after: async (_d, r) => expect(r.stderr).not.toMatch(/Cannot read properties/),
  },
  // ---------------------------------------------------------------- config and paths
  { name: 'config key misspelt (historyTabel)', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), configWith("historyTabel: 'h'")), args: ['up', '--sql'], code: 1, names: ['srmv.config.ts', 'historyTabel'], wayOut: /Did you mean "historyTable"\?/ },
  { name: 'config key misspelt (rebuilt)', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), configWith("rebuilt: 'swap'")), args: ['generate', '-m', 'x'], code: 1, names: ['srmv.config.ts', 'rebuilt'], wayOut: /Did you mean "rebuild"\?/ },
  { name: 'history table name too long for its lock', kind: 'config', setup: (d) => writeFileSync(join(d, 'srmv.config.ts'), configWith(`historyTable: '${'h'.repeat(60)}'`)), args: ['up', '--sql'], code: 1, names: ['historyTable', `${'h'.repeat(60)}_lock`, '64'], wayOut: /at most 59 characters/ },
  { name: 'migrations path is a file', kind: 'paths', setup: (d) => { writeFileSync(join(d, 'not-a-folder.txt'), 'x'); writeFileSync(join(d, 'srmv.config.ts'), configWith('').replace("'./migrations'", "'./not-a-folder.txt'")) }, args: ['up', '--sql'], code: 1, names: ['not-a-folder.txt', 'is not a folder'], wayOut: /Check the path/ },
  { name: 'schema path is a folder', kind: 'paths', setup: (d) => { mkdirSync(join(d, 'schemas')); writeFileSync(join(d, 'srmv.config.ts'), configWith('').replace("'./schema.ts'", "'./schemas'")) }, args: ['generate', '-m', 'x'], code: 1, names: ['schemas', 'is a folder'], wayOut: /Check the path/ },
  { name: '--config is a folder', kind: 'paths', setup: (d) => mkdirSync(join(d, 'cfg')), args: ['--config', 'cfg', 'generate', '-m', 'x'], code: 1, names: ['cfg', 'is a folder'], wayOut: /Check the path/ },
  { name: '.env is a folder', kind: 'paths', setup: (d) => mkdirSync(join(d, '.env')), args: ['generate', '-m', 'x'], code: 1, names: ['.env', 'is a folder'], wayOut: /Check the path/ },
  { name: 'migrations folder below a file', kind: 'paths', setup: (d) => { writeFileSync(join(d, 'file.txt'), 'x'); writeFileSync(join(d, 'srmv.config.ts'), configWith('').replace("'./migrations'", "'./file.txt/migrations'")) }, schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: ['file.txt/migrations', 'a file is in the way'], wayOut: /Move the file, or fix the path/ },
  { name: 'init where migrations is a file', kind: 'paths', setup: (d) => { mkdirSync(join(d, 'fresh')); writeFileSync(join(d, 'fresh', 'migrations'), 'x') }, args: ['--cwd', 'fresh', 'init'], code: 1, names: ['fresh/migrations', 'a file is in the way'], wayOut: /Move the file/, after: async (d) => expect(readdirSync(join(d, 'fresh'))).toEqual(['migrations']) },
  { name: 'init --cwd of a file', kind: 'paths', setup: (d) => writeFileSync(join(d, 'file.txt'), 'x'), args: ['--cwd', 'file.txt', 'init'], code: 1, names: ['file.txt', 'a file is in the way'], wayOut: /Move the file/ },
  { name: 'refresh.manual(null)', kind: 'bad values', schema: schemaWith("export const p = mv('p_mv').refresh.manual(null as never).as(sql`SELECT ${orders.id} FROM ${orders}`)"), args: ['generate', '-m', 'x'], code: 1, names: ['schema.ts', 'p_mv', '.refresh.manual()', 'null'], wayOut: /takes an options object or nothing/, after: async (_d, r) => expect(r.stderr).not.toMatch(/Cannot read properties/) },
  {
    name: 'a snapshot that is a folder', kind: 'paths',
    setup: async (d) => {
      await generatedThen(schemaWith(good))(d)
      const snap = join(d, 'migrations', readdirSync(join(d, 'migrations')).find((f) => f.endsWith('.snapshot.json')) as string)
      rmSync(snap)
      mkdirSync(snap)
    },
    schema: schemaWith(good), args: ['generate', '-m', 'x'], code: 1, names: [/_first\.snapshot\.json is a folder/], wayOut: /Check the path/,
  },
  // ---------------------------------------------------------------- servers
  { name: 'an unreachable server', kind: 'server', setup: () => ({ STARROCKS_URL: 'starrocks://root:pw-unreach-1@127.0.0.1:1/x?connectTimeout=1000' }), args: ['status'], code: 3, names: ['127.0.0.1:1'], wayOut: /check|Check|running|reachable/ },
  { name: 'an invalid URL scheme', kind: 'server', setup: () => ({ STARROCKS_URL: 'http://root@127.0.0.1:9030/x' }), args: ['status'], code: 2, names: ['http://root@127.0.0.1:9030/x'], wayOut: /Expected starrocks:\/\// },
  { name: 'an unknown URL parameter', kind: 'server', setup: () => ({ STARROCKS_URL: 'starrocks://root@127.0.0.1:9030/x?colour=blue' }), args: ['status'], code: 2, names: ['colour'], wayOut: /known: ssl, connectTimeout, queryTimeout/ },
  { name: 'an unknown database (emulator)', kind: 'server', setup: () => ({ STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/no_such_db` }), args: ['status'], code: 3, names: ['no_such_db'], wayOut: /Create the database first, or fix the database name in the URL/ },
  {
    name: 'server errors mid-plan (reading the live state)', kind: 'server',
    setup: async () => {
      const url = await emulatorDb()
      sr.inject({ at: (s: string) => /information_schema\.materialized_views/i.test(s), kind: 'error', errno: 1064, message: 'injected read failure' })
      return { STARROCKS_URL: url }
    },
    schema: schemaWith(good), args: ['plan', '--from-db'], code: 4, names: ['injected read failure', /materialized_views/], wayOut: /check|Check|retry|again/i,
  },
  {
    name: 'server rejects statement 2 of 3 mid-run', kind: 'server',
    setup: async (d) => {
      const url = await emulatorDb()
      executeMigration(d, '20250101000000_three', [
        ['CREATE TABLE s1 (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE s1'],
        ['CREATE TABLE s2 (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE s2'],
        ['CREATE TABLE s3 (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1', 'DROP TABLE s3'],
      ])
      sr.inject({ at: (s: string) => s.startsWith('CREATE TABLE s2'), kind: 'error', errno: 1064, message: 'injected mid-run failure' })
      return { STARROCKS_URL: url }
    },
    args: ['up'], code: 4, names: ['20250101000000_three', 'statement 2', 'injected mid-run failure'], wayOut: /srmv up --resume/,
    after: async (d, _r, env) => {
      const rows = await historyRows(d, env)
      expect(rows.map((e) => e.event)).toEqual(['started', 'statement', 'failed'])
    },
  },
]

const mariaCases: Case[] = [
  { name: 'a wrong password (MariaDB)', kind: 'server', setup: () => ({ STARROCKS_URL: `mysql://srmv_bad_${tag}:Wr0ng-pass-${tag}@127.0.0.1:3306/test` }), args: ['status'], code: 3, names: [`srmv_bad_${tag}`], wayOut: /password|user/ },
  { name: 'an unknown database (MariaDB)', kind: 'server', setup: () => ({ STARROCKS_URL: `mysql://root@127.0.0.1:3306/no_such_db_${tag}` }), args: ['status'], code: 3, names: [`no_such_db_${tag}`], wayOut: /Create the database first, or fix the database name in the URL/ },
]

const runCase = async (c: Case): Promise<void> => {
  const dir = project(`bad-${c.kind.replace(/\W+/g, '-')}`, { starrocks: true, ...(c.schema === undefined ? {} : { schema: c.schema }) })
  const env = ((await c.setup?.(dir)) ?? {}) as Record<string, string>
  const before = listing(dir)
  const from = c.from === undefined ? dir : join(dir, c.from)
  mkdirSync(from, { recursive: true })
  const r = await cli(from, c.args, env)
  const message = r.stderr + r.stdout
  expect(r.code, message).toBe(c.code)
  for (const n of c.names) {
    if (typeof n === 'string') expect(message, `names ${n}`).toContain(n)
    else expect(message, `names ${String(n)}`).toMatch(n)
  }
  expect(message, 'gives the way out').toMatch(c.wayOut)
  expect(r.stderr).toMatch(/(^|\n)error \[[A-Z_]+\]: /)
  // nothing half-written: the project's files are exactly as they were
  expect(listing(dir)).toEqual(before)
  for (const f of readdirSync(join(dir, 'migrations'))) expect(f).not.toMatch(/\.tmp|~$/)
  await c.after?.(dir, r, env)
  fig.add('bad inputs tried')
  kinds[c.kind] = (kinds[c.kind] ?? 0) + 1
  fig.add('cases passed')
}

afterAll(() => {
  fig.set('bad inputs by kind', kinds)
  fig.write()
})

describe.concurrent('bad input', () => {
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await sr?.close()
  })
  fig.add('cases', CASES.length)
  for (const c of CASES) it(c.name, () => runCase(c))
})

describe.skipIf(!available).concurrent('bad input on MariaDB', () => {
  beforeAll(async () => {
    const c = await createConnection(MARIADB)
    await c.query(`CREATE USER IF NOT EXISTS 'srmv_bad_${tag}'@'%' IDENTIFIED BY 'Right-pass-${tag}'`)
    await c.end()
  })
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    await c.query(`DROP USER IF EXISTS 'srmv_bad_${tag}'@'%'`)
    await c.end()
  })
  fig.add('cases', mariaCases.length)
  for (const c of mariaCases) it(c.name, () => runCase(c))
})

/** Inputs that look dangerous but are legal must work end to end: generate, up, check, down. */
describe.concurrent('awkward input that must work', () => {
  let em: Emulator
  beforeAll(async () => {
    em = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await em?.close()
  })

  const endToEnd = async (db: string, table: string, schema: string, check: (sent: readonly string[]) => void): Promise<void> => {
    const c = await createConnection({ host: '127.0.0.1', port: em.port, user: 'root' })
    const q = (n: string): string => `\`${n.replaceAll('`', '``')}\``
    await c.query(`CREATE DATABASE ${q(db)}`)
    await c.query(`CREATE TABLE ${q(db)}.${q(table)} (id BIGINT, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
    await c.end()
    const dir = project('awkward', { starrocks: true, schema })
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${em.port}/${encodeURIComponent(db)}` }
    const gen = await cli(dir, ['generate', '-m', 'awkward names'], env)
    expect(gen.code, gen.stderr).toBe(0)
    const from = em.statements.length
    const up = await cli(dir, ['up'], env)
    expect(up.code, up.stderr).toBe(0)
    check(em.statements.slice(from))
    const ok = await cli(dir, ['check'], env)
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    const down = await cli(dir, ['down'], env)
    expect(down.code, down.stderr).toBe(0)
    const status = JSON.parse((await cli(dir, ['status', '--json'], env)).stdout) as { migrations: { state: string }[] }
    expect(status.migrations.map((m) => m.state)).toEqual(['pending'])
    fig.add('awkward inputs that work end to end')
    fig.add('cases passed')
  }

  fig.add('cases', 2)
  it('names with backticks, quotes, spaces and non-ASCII letters', async () => {
    const db = "dä ta`b'\"s"
    const table = 'ord`ers \'ü"'
    const name = 'mv `wé\'rd" näme'
    const schema = `import { mv, sql, table } from 'starrocks-mv'
export const src = table(${JSON.stringify(table)}, { id: 'BIGINT', amount: 'DECIMAL(10, 2)' })
export const m = mv(${JSON.stringify(name)}).comment(${JSON.stringify("it's a `quoted` \"comment\" — ü")}).refresh.manual().as(sql\`SELECT \${src.id}, SUM(\${src.amount}) AS total FROM \${src} GROUP BY \${src.id}\`)
`
    await endToEnd(db, table, schema, (sent) => {
      const create = sent.find((s) => s.startsWith('CREATE MATERIALIZED VIEW `mv ``wé\'rd" näme`'))
      expect(create).toContain('it\\\'s a `quoted` \\"comment\\" — ü')
    })
  }, 60_000)

  it('a 1 MB query', async () => {
    const pad = 'x'.repeat(1024 * 1024)
    const schema = `import { mv, sql, table } from 'starrocks-mv'
export const src = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)' })
export const m = mv('big_mv').refresh.manual().as(sql\`SELECT \${src.id}, \${${JSON.stringify(pad)}} AS pad FROM \${src}\`)
`
    await endToEnd('big', 'orders', schema, (sent) => {
      const create = sent.find((s) => s.startsWith('CREATE MATERIALIZED VIEW `big_mv`'))
      expect(create?.length).toBeGreaterThan(1024 * 1024)
    })
  }, 90_000)
})
