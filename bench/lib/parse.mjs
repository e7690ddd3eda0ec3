/**
 * Workload: parse SHOW CREATE MATERIALIZED VIEW text with `parseMaterializedView`, in MB/s, against
 * node-sql-parser (MySQL dialect) parsing the same statements' queries (it has no grammar for the
 * StarRocks DDL around them). The corpus is what emulators of several versions print for varied
 * statements, plus the recorded server output in ../shared/fixtures/show-create/ when present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { baseTables, mvStatement } from './mv-forms.mjs'

/** SHOW CREATE texts printed by emulators of `versions` for `perVersion` varied statements each. */
export const buildCorpus = async ({ lib, testing, versions, perVersion, fixtures }) => {
  const texts = []
  for (const version of versions) {
    const sr = await testing.startEmulator({ version, defaultReplicationNum: 3 })
    const client = await lib.connect(sr.url)
    try {
      await client.query('CREATE DATABASE corpus')
      for (const s of baseTables('corpus')) await client.query(s)
      for (let i = 0; i < perVersion; i++) await client.query(mvStatement('corpus', i, version))
      const rows = (await client.query(`SELECT MATERIALIZED_VIEW_DEFINITION FROM information_schema.materialized_views WHERE TABLE_SCHEMA = 'corpus'`)).rows
      for (const r of rows) texts.push(String(r.MATERIALIZED_VIEW_DEFINITION))
    } finally {
      await client.close()
      await sr.close()
    }
  }
  let fromFixtures = 0
  const dir = join(fixtures, 'show-create')
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) {
      const text = readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => !l.startsWith('-- source:')).join('\n').trim()
      if (text !== '') {
        texts.push(text)
        fromFixtures++
      }
    }
  }
  return { texts, fromFixtures }
}

const bytes = (xs) => xs.reduce((n, s) => n + Buffer.byteLength(s), 0)

/** Run `fn` over `items` in passes until at least `minMs` have gone by; throughput in items and bytes. */
const throughput = (items, fn, minMs) => {
  for (const x of items) fn(x) // warm-up pass
  let passes = 0
  const t = process.hrtime.bigint()
  let ms = 0
  while (ms < minMs || passes < 3) {
    for (const x of items) fn(x)
    passes++
    ms = Number(process.hrtime.bigint() - t) / 1e6
  }
  return { msPerPass: ms / passes, passes }
}

/** Measure both parsers on the corpus. */
export const benchParse = ({ lib, Parser, corpus, minMs = 1500 }) => {
  const parsed = []
  const ourFailures = []
  for (const text of corpus.texts) {
    try {
      parsed.push({ text, query: lib.parseMaterializedView(text).query })
    } catch (e) {
      ourFailures.push(`${e.message.slice(0, 120)}`)
    }
  }
  const parser = new Parser()
  const opt = { database: 'MySQL' }
  const both = []
  let theirFailures = 0
  for (const p of parsed) {
    try {
      parser.astify(p.query, opt)
      both.push(p)
    } catch {
      theirFailures++
    }
  }
  const ddl = both.map((p) => p.text)
  const queries = both.map((p) => p.query)
  const ours = throughput(ddl, (t) => lib.parseMaterializedView(t), minMs)
  const theirs = throughput(queries, (q) => parser.astify(q, opt), minMs)
  const ddlBytes = bytes(ddl)
  const queryBytes = bytes(queries)
  return {
    statements: corpus.texts.length,
    fromFixtures: corpus.fromFixtures,
    compared: both.length,
    ourFailures,
    theirFailures,
    ddlBytes,
    queryBytes,
    ours: { mbps: ddlBytes / 1024 / 1024 / (ours.msPerPass / 1000), usPerStatement: (ours.msPerPass * 1000) / both.length },
    theirs: { mbps: queryBytes / 1024 / 1024 / (theirs.msPerPass / 1000), usPerStatement: (theirs.msPerPass * 1000) / both.length },
  }
}
