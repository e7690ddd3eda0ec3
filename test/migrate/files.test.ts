import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isStarRocksMvError } from '../../src/errors.js'
import { collectSchema } from '../../src/migrate/load-schema.js'
import { defineSchema } from '../../src/migrate/define-schema.js'
import { loadConfig } from '../../src/migrate/load-config.js'
import { listMigrationFiles, loadMigration, newMigrationId, readSnapshot, slugify, writeFilesAtomically } from '../../src/migrate/migration-files.js'
import { parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { foldHistory, newEvent, createHistoryTableStatement, insertEventStatement } from '../../src/migrate/history.js'
import { Migrator } from '../../src/migrate/migrator.js'
import { mv } from '../../src/schema/index.js'
import { sql } from '../../src/sql/sql.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { sourceLoader, tempDir, writeMigration } from './helpers.js'

let load: ModuleLoader
beforeAll(async () => {
  load = await sourceLoader()
})

const code = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    return isStarRocksMvError(e) ? e.code : `not ours: ${String(e)}`
  }
  return 'no error'
}

describe('config', () => {
  it('loads srmv.config.ts with paths made absolute; STARROCKS_URL (env, then .env) wins over the config', async () => {
    const dir = tempDir('cfg')
    writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', url: 'starrocks://root@cfg:9030/x', version: '3.3' })\n`)
    const plain = await loadConfig({ cwd: dir, env: {}, load })
    expect(plain.schemaFile).toBe(join(dir, 'schema.ts'))
    expect(plain.migrationsDir).toBe(join(dir, 'migrations'))
    expect(plain.url).toBe('starrocks://root@cfg:9030/x')
    expect(plain.urlSource).toBe('config')
    writeFileSync(join(dir, '.env'), 'STARROCKS_URL=starrocks://root:secret@dotenv:9030/x\n')
    expect((await loadConfig({ cwd: dir, env: {}, load })).url).toBe('starrocks://root:secret@dotenv:9030/x')
    const fromEnv = await loadConfig({ cwd: dir, env: { STARROCKS_URL: 'starrocks://root@env:9030/x' }, load })
    expect(fromEnv.url).toBe('starrocks://root@env:9030/x')
    expect(fromEnv.urlSource).toBe('STARROCKS_URL')
  })

  it('names the folder and the way out when there is no config, and the field when it is wrong', async () => {
    const dir = tempDir('nocfg')
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/No srmv.config.ts in .*srmv init/)
    await expect(loadConfig({ cwd: join(dir, 'nowhere'), env: {}, load })).rejects.toThrow(`${join(dir, 'nowhere')} does not exist: srmv looks for srmv.config.ts in the folder it runs in. Check the folder given with --cwd`)
    writeFileSync(join(dir, 'a-file'), '')
    await expect(loadConfig({ cwd: join(dir, 'a-file'), env: {}, load })).rejects.toThrow(`${join(dir, 'a-file')} is not a folder: srmv looks for srmv.config.ts`)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: 3 }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/"migrations" must be a non-empty path/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', version: 'three' }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/srmv.config.ts: Invalid StarRocks version "three"/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', historyTabel: 'h' }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/srmv.config.ts: unknown setting "historyTabel". Did you mean "historyTable"\?/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', colour: 'blue' }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/unknown setting "colour". The settings are: schema, migrations/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', historyTable: '${'t'.repeat(59)}' }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).resolves.toBeDefined()
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', historyTable: '${'t'.repeat(60)}' }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/the lock view beside it, t{60}_lock, would pass StarRocks's limit of 64 characters/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './s.ts', migrations: './m', historyProperties: { ['__proto__']: '1' } }\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/"historyProperties" has the key "__proto__"/)
    writeFileSync(join(dir, 'srmv.config.ts'), `export default {{ oops\n`)
    await expect(loadConfig({ cwd: dir, env: {}, load })).rejects.toThrow(/srmv.config.ts failed to load/)
  })
})

describe('schema modules', () => {
  const a = mv('daily').schema('shop').refresh.manual().as(sql`SELECT 1 AS one`)
  const b = mv('weekly').schema('shop').refresh.manual().as(sql`SELECT 2 AS two`)
  it('collects every exported complete MV and the defineSchema form, once each', () => {
    const entries = collectSchema({ a, b, other: 42, all: [a, b], byName: { a }, default: defineSchema({ a }) }, 'schema.ts')
    expect(entries.map((e) => e.exportName)).toEqual(['a', 'b'])
  })
  it('never takes an invalid MV export for no MV: the error names the file, the export, the MV and the reason', () => {
    const cases: [string, () => unknown, RegExp][] = [
      ['duplicate column', () => mv('dup_mv').columns('a', 'a').refresh.manual().as(sql`SELECT 1 AS a, 2 AS b`), /names the column "a" twice/],
      ['hash column not in the column list', () => mv('dup_mv').columns('a').distributedBy.hash('b').refresh.manual().as(sql`SELECT 1 AS a`), /"b", which is not in the declared column list/],
      // @ts-expect-error the types refuse it too; the run-time check is what this case is about
      ['sync with a distribution', () => mv('dup_mv').sync().distributedBy.random().as(sql`SELECT 1 AS a`), /synchronous MV \(\.sync\(\)\) takes no DISTRIBUTED BY/],
      ['a forgotten .as()', () => mv('dup_mv').refresh.manual(), /has no query: call \.as\(/],
    ]
    for (const [what, make, reason] of cases) {
      const value = make()
      for (const ns of [{ daily: value }, { default: defineSchema({ daily: value as never }) }]) {
        let err: unknown
        try {
          collectSchema(ns, 'schema.ts')
        } catch (e) {
          err = e
        }
        expect(err, what).toBeInstanceOf(Error)
        expect((err as Error).message, what).toMatch(/^schema\.ts: export "(default\.)?daily" is not a valid materialized view: dup_mv: /)
        expect((err as Error).message, what).toMatch(reason)
      }
    }
  })
  it('refuses an exported Promise, and an MV inside an array or object that is not exported by itself', () => {
    const lone = mv('lone').refresh.manual().as(sql`SELECT 1 AS one`)
    expect(() => collectSchema({ later: Promise.resolve(lone) }, 'schema.ts')).toThrow(/export "later" is a Promise/)
    expect(() => collectSchema({ a, list: [a, lone] }, 'schema.ts')).toThrow(/export "list" holds the materialized view lone \(list\[1\]\), which is not exported by itself/)
    expect(() => collectSchema({ group: { lone } }, 'schema.ts')).toThrow(/export "group" holds the materialized view lone \(group\.lone\)/)
    expect(() => collectSchema({ a, nested: { sales: [a, [lone]] } }, 'schema.ts')).toThrow(/export "nested" holds the materialized view lone \(nested\.sales\[1\]\[0\]\)/)
    expect(collectSchema({ named: defineSchema({ lone }) }, 'schema.ts').map((e) => e.exportName)).toEqual(['named.lone'])
    expect(() => collectSchema({ list: [mv('bad').columns('x', 'x').refresh.manual().as(sql`SELECT 1 AS x`)] }, 'schema.ts')).toThrow(/export "list\[0\]" is not a valid materialized view: bad: /)
    expect(() => defineSchema(undefined as never)).toThrow(/defineSchema\(\) takes an object of materialized views/)
  })
  it('takes an MV with and without its database for one MV unless the connection database is known to differ', () => {
    const bare = mv('daily').refresh.manual().as(sql`SELECT 1 AS one`)
    expect(code(() => collectSchema({ a, bare }, 'schema.ts'))).toBe('DUPLICATE_MV')
    expect(() => collectSchema({ a, bare }, 'schema.ts', { defaultSchema: 'shop' })).toThrow(/exports "bare" \(daily\) and "a" \(shop\.daily\) may be one materialized view: unqualified MVs live in the connection's database, shop/)
    expect(collectSchema({ a, bare }, 'schema.ts', { defaultSchema: 'other' }).map((e) => e.exportName)).toEqual(['a', 'bare'])
  })
  it('rejects two exports with one qualified name, naming both', () => {
    const again = mv('daily').schema('shop').refresh.manual().as(sql`SELECT 3 AS three`)
    expect(() => collectSchema({ a, again }, 'schema.ts')).toThrow(/exports "a" and "again" both define the materialized view shop.daily/)
    expect(code(() => collectSchema({ default: defineSchema({ a, again }) }, 's.ts'))).toBe('DUPLICATE_MV')
  })
})

describe('migration files', () => {
  it('makes sortable ids and slugs', () => {
    expect(newMigrationId([], new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('20250102030405')
    expect(newMigrationId(['20250102030405'], new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('20250102030406')
    expect(newMigrationId(['20990101000000'], new Date(Date.UTC(2025, 0, 1)))).toBe('20990101000001')
    expect(slugify('Add daily sales MV!')).toBe('add_daily_sales_mv')
    expect(slugify('Crème brûlée')).toBe('creme_brulee')
    expect(slugify('日本')).toBe('migration')
  })
  it('refuses a migration id past the year 9999 (it would be 15 digits and never listed)', () => {
    expect(newMigrationId([], new Date(Date.UTC(9999, 11, 31, 23, 59, 59)))).toBe('99991231235959')
    expect(() => newMigrationId([], new Date(Date.UTC(10000, 0, 1)))).toThrow(/would be 100000101000000 .*14 digits/)
    expect(() => newMigrationId(['99991231235959'], new Date(Date.UTC(2025, 0, 1)))).toThrow(/one second after the latest migration id, 99991231235959/)
    expect(code(() => newMigrationId([], new Date(Number.NaN)))).toBe('INVALID_MIGRATION_ID')
    const dir = tempDir('far-id')
    writeFileSync(join(dir, '100000101000000_far.ts'), 'export default {}\n')
    expect(() => listMigrationFiles(dir)).toThrow(/100000101000000_far\.ts looks like a migration, but its id is not 14 digits/)
  })
  it('reads a snapshot with a UTF-8 byte-order mark, and refuses one that is not UTF-8 or is a folder', () => {
    const dir = tempDir('snap-enc')
    const state = serializeState(snapshot([mv('café_mv').refresh.manual().as(sql`SELECT 'é' AS e`)]))
    const entry = (name: string) => ({ id: '20250101000000', slug: name, name: `20250101000000_${name}`, file: join(dir, `20250101000000_${name}.ts`), snapshotFile: join(dir, `20250101000000_${name}.snapshot.json`) })
    writeFileSync(entry('bom').snapshotFile, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(state, 'utf8')]))
    expect(readSnapshot(entry('bom'), (j) => parseState(j))?.mvs.map((m) => m.name)).toEqual(['café_mv'])
    writeFileSync(entry('latin1').snapshotFile, Buffer.from(state, 'latin1'))
    expect(() => readSnapshot(entry('latin1'), (j) => parseState(j))).toThrow(/20250101000000_latin1\.snapshot\.json is not valid UTF-8 \(line \d+\)/)
    expect(code(() => readSnapshot(entry('latin1'), (j) => parseState(j)))).toBe('INVALID_ENCODING')
    // one way out each: a broken snapshot is restored, one from a newer starrocks-mv needs an upgrade
    writeFileSync(entry('broken').snapshotFile, '{broken')
    const broken = (() => {
      try {
        readSnapshot(entry('broken'), (j) => parseState(j, entry('broken').snapshotFile))
      } catch (e) {
        return (e as Error).message
      }
    })()
    expect(broken).toMatch(/20250101000000_broken\.snapshot\.json is not a valid snapshot: it is not JSON/)
    expect(broken?.split('Restore it from version control').length).toBe(2)
    writeFileSync(entry('newer').snapshotFile, JSON.stringify({ ...JSON.parse(state), format: 99 }))
    expect(() => readSnapshot(entry('newer'), (j) => parseState(j, entry('newer').snapshotFile))).toThrow(
      /^20250101000000_newer\.ts: snapshot \S+20250101000000_newer\.snapshot\.json has format 99, newer than this version of starrocks-mv understands \(1\): it was written by a newer starrocks-mv\. Upgrade starrocks-mv in this project to read it\.$/,
    )
    mkdirSync(entry('folder').snapshotFile)
    expect(() => readSnapshot(entry('folder'), (j) => parseState(j))).toThrow(/20250101000000_folder\.snapshot\.json is a folder, not a file/)
  })
  it('replaces a file atomically and puts its old content back when another file fails', () => {
    const dir = tempDir('atomic-replace')
    writeFileSync(join(dir, 'types.d.ts'), 'old')
    // a folder appears where blocked.ts goes after the checks (while its content is read), so
    // the rename onto it fails after types.d.ts and c.json were placed
    const blocked = {
      path: join(dir, 'blocked.ts'),
      replace: true,
      get content(): string {
        mkdirSync(join(dir, 'blocked.ts'))
        writeFileSync(join(dir, 'blocked.ts', 'inside'), 'x')
        return 'x'
      },
    }
    expect(() =>
      writeFilesAtomically([
        { path: join(dir, 'types.d.ts'), content: 'new', replace: true },
        { path: join(dir, 'c.json'), content: '{}' },
        blocked,
      ]),
    ).toThrow()
    expect(readFileSync(join(dir, 'types.d.ts'), 'utf8')).toBe('old')
    expect(readdirSync(dir).sort()).toEqual(['blocked.ts', 'types.d.ts'])
    writeFilesAtomically([{ path: join(dir, 'types.d.ts'), content: 'new', replace: true }])
    expect(readFileSync(join(dir, 'types.d.ts'), 'utf8')).toBe('new')
  })
  it('refuses to replace a folder, a FIFO or a device, even when asked to replace', () => {
    const dir = tempDir('atomic-special')
    mkdirSync(join(dir, 'folder.ts'))
    execFileSync('mkfifo', [join(dir, 'fifo.ts')])
    for (const [path, says] of [
      [join(dir, 'folder.ts'), 'is a folder; srmv replaces only files, and nothing was written'],
      [join(dir, 'fifo.ts'), 'is not a regular file (a FIFO, socket or device); srmv replaces only files'],
      ['/dev/null', 'is not a regular file (a FIFO, socket or device); srmv replaces only files'],
    ] as const) {
      expect(() => writeFilesAtomically([{ path: join(dir, 'first.json'), content: '{}' }, { path, content: 'x', replace: true }])).toThrow(says)
    }
    expect(readdirSync(dir).sort()).toEqual(['fifo.ts', 'folder.ts'])
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
  })
  it.skipIf(process.platform !== 'linux' || !existsSync('/sys/kernel'))('says which file the file system refused, and why, when nothing could be written', () => {
    const dir = tempDir('atomic-refused')
    // /sys takes no new files, not even from root
    const refused = () => writeFilesAtomically([{ path: join(dir, 'a.json'), content: '{}' }, { path: '/sys/kernel/srmv-test.ts', content: 'x' }])
    expect(refused).toThrow('/sys/kernel/srmv-test.ts could not be written (permission denied: give your user write access to /sys/kernel); nothing was written. Then run again.')
    try {
      refused()
    } catch (e) {
      expect(e).toMatchObject({ code: 'WRITE_FAILED', details: { errno: 'EACCES' } })
    }
    expect(readdirSync(dir)).toEqual([])
  })
  it('writes all files of a migration or none', () => {
    const dir = tempDir('atomic')
    writeFilesAtomically([
      { path: join(dir, 'a.json'), content: '{}' },
      { path: join(dir, 'a.ts'), content: 'x' },
    ])
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'a.ts'])
    mkdirSync(join(dir, 'blocked.ts'))
    expect(() =>
      writeFilesAtomically([
        { path: join(dir, 'b.json'), content: '{}' },
        { path: join(dir, 'blocked.ts'), content: 'x' },
      ]),
    ).toThrow(/already exists/)
    expect(existsSync(join(dir, 'b.json'))).toBe(false)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
  it('lists migrations by id, refuses duplicate ids, and explains a missing default export', async () => {
    const dir = tempDir('list')
    writeMigration(dir, '20250102000000_b', [['SELECT 2', 'SELECT 2']])
    writeMigration(dir, '20250101000000_a', [['SELECT 1', 'SELECT 1']])
    writeFileSync(join(dir, 'notes.md'), 'x')
    expect(listMigrationFiles(dir).map((f) => f.name)).toEqual(['20250101000000_a', '20250102000000_b'])
    const m = await loadMigration(listMigrationFiles(dir)[0]!, load)
    expect(m.checksum).toMatch(/^[0-9a-f]{64}$/)
    writeFileSync(join(dir, '20250103000000_bad.ts'), 'export const x = 1\n')
    await expect(loadMigration(listMigrationFiles(dir)[2]!, load)).rejects.toThrow(/20250103000000_bad.ts: the default export must be defineMigration/)
    writeMigration(dir, '20250101000000_dup', [['SELECT 1', 'SELECT 1']])
    expect(() => listMigrationFiles(dir)).toThrow(/share the id 20250101000000/)
  })
})

describe('history', () => {
  it('renders DDL for StarRocks (duplicate key, properties) and MySQL, and inlines values through the literal renderer', () => {
    const t = { schema: 'ops', name: 'srmv_migrations' }
    const sr = createHistoryTableStatement(t, 'starrocks', { replication_num: '1' })
    expect(sr).toContain('CREATE TABLE IF NOT EXISTS `ops`.`srmv_migrations`')
    expect(sr).toContain('DUPLICATE KEY(`seq`, `event_id`)')
    expect(sr).toContain('DISTRIBUTED BY HASH(`event_id`) BUCKETS 1')
    expect(sr).toContain('PROPERTIES ("replication_num" = "1")')
    expect(createHistoryTableStatement(t, 'mysql')).toContain('PRIMARY KEY (`event_id`)')
    const e = newEvent({ seq: 3, migrationId: "x'y", event: 'failed', direction: 'up', runId: 'r', owner: 'o', detail: "bad ' \\ value" })
    expect(insertEventStatement(t, e)).toContain(`'x\\'y'`)
    expect(insertEventStatement(t, e)).toContain(`'bad \\' \\\\ value'`)
  })
  it('folds events: an attempt, resumed, settled', () => {
    const ev = (seq: number, event: Parameters<typeof newEvent>[0]['event'], extra: object = {}) =>
      newEvent({ seq, migrationId: 'm', event, direction: 'up', runId: 'r', owner: 'o', ...extra })
    const partial = foldHistory([ev(1, 'started'), ev(2, 'statement', { statementIndex: 0, statementHash: 'h0' }), ev(3, 'failed', { statementIndex: 1, detail: 'boom' })]).get('m')
    expect(partial).toMatchObject({ state: 'partial', completed: [{ index: 0, hash: 'h0' }], failure: { index: 1, message: 'boom', outcomeUnknown: false } })
    const resumed = foldHistory([ev(1, 'started'), ev(2, 'statement', { statementIndex: 0 }), ev(3, 'unknown', { statementIndex: 1 }), ev(4, 'resumed'), ev(5, 'statement', { statementIndex: 1 })]).get('m')
    expect(resumed).toMatchObject({ state: 'partial', completed: [{ index: 0 }, { index: 1 }] })
    expect(resumed?.state === 'partial' && resumed.failure).toBeUndefined()
    expect(foldHistory([ev(2, 'succeeded', { checksum: 'c' }), ev(1, 'started')]).get('m')).toMatchObject({ state: 'applied', checksum: 'c' })
  })
})

describe('offline sql', () => {
  it('prints the statements of a range, and with history the lock and history statements around them', async () => {
    const dir = tempDir('sql')
    writeMigration(dir, '20250101000000_a', [['CREATE TABLE a (x INT)', 'DROP TABLE a']])
    writeMigration(dir, '20250102000000_b', [['CREATE TABLE b (x INT)', 'DROP TABLE b']])
    const m = new Migrator({ dir, load })
    expect(await m.sql()).toEqual(['CREATE TABLE a (x INT)', 'CREATE TABLE b (x INT)'])
    expect(await m.sql({ from: '20250101000000' })).toEqual(['CREATE TABLE b (x INT)'])
    expect(await m.sql({ to: '20250101' })).toEqual(['CREATE TABLE a (x INT)'])
    expect(await m.sql({ direction: 'down' })).toEqual(['DROP TABLE b', 'DROP TABLE a'])
    expect(await m.sql({ direction: 'down', to: '20250101000000' })).toEqual(['DROP TABLE b'])
    const full = await m.sql({ withHistory: true })
    expect(full[0]).toMatch(/^CREATE TABLE IF NOT EXISTS `srmv_migrations`/)
    expect(full[1]).toMatch(/^CREATE VIEW `srmv_migrations_lock` AS SELECT '/)
    expect(full.at(-1)).toBe('DROP VIEW `srmv_migrations_lock`')
    expect(full.filter((s) => s.startsWith('INSERT INTO')).length).toBe(6)
    expect(full.join('\n')).not.toMatch(/GET_LOCK|FOR UPDATE|LOCK TABLES|START TRANSACTION|BEGIN/)
    await expect(m.sql({ to: 'nope' })).rejects.toThrow(/no migration "nope"/)
  })
})
