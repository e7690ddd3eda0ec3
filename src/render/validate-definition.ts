import { StarRocksMvError } from '../errors.js'
import { INDEX_KINDS, INTERVAL_UNITS, QualifiedName, type MvDefinition, type RefreshSpec } from '../model/index.js'
import { propertySpec } from './property-catalog.js'
import { unquoteIdentifier } from '../sql/index.js'

/** The longest MV name StarRocks documents (64 characters). */
export const MAX_MV_NAME_LENGTH = 64

/** The largest count StarRocks takes for BUCKETS and a refresh interval (a 32-bit INT). */
export const MAX_COUNT = 2147483647

/** `yyyy-MM-dd HH:mm:ss`, the START format StarRocks documents (a bare date is accepted by servers too). */
const START_FORMAT = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

const invalid = (subject: string, message: string, details: Record<string, unknown> = {}): StarRocksMvError =>
  new StarRocksMvError('INVALID_MV', `${subject}: ${message}`, { mv: subject, ...details })

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value
}

/** Throws `INVALID_MV` unless `name` is a usable MV name (non-empty, no NUL, at most 64 characters). */
export const checkMvName = (name: unknown, what = 'the MV name', subject?: string): void => {
  const where = subject ?? (typeof name === 'string' && name.length > 0 ? name : 'mv()')
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(where, `${what} must be a non-empty string, got ${show(name)}.`, { value: name })
  }
  if (name.includes('\0')) {
    throw invalid(where, `${what} ${show(name)} contains a NUL character, which StarRocks does not accept in names.`, { value: name })
  }
  if (name.length > MAX_MV_NAME_LENGTH) {
    throw invalid(
      where,
      `${what} ${show(name)} is ${name.length} characters long; StarRocks allows at most ${MAX_MV_NAME_LENGTH}. Choose a shorter name.`,
      { value: name },
    )
  }
}

/** Throws `INVALID_MV` unless `schema` is a usable database name. */
export const checkSchemaName = (schema: unknown, subject: string): void => {
  if (typeof schema !== 'string' || schema.length === 0 || schema.includes('\0')) {
    throw invalid(subject, `the schema (database) must be a non-empty string without NUL, got ${show(schema)}.`, { value: schema })
  }
}

/**
 * Throws `INVALID_MV` unless `start` is a real `yyyy-MM-dd HH:mm:ss` time. With `allowDateOnly`
 * (definitions read back from servers, which accept `START('2122-12-31')`), a bare date passes too.
 */
export const checkStart = (start: unknown, subject: string, options: { readonly allowDateOnly?: boolean } = {}): void => {
  const m = typeof start === 'string' ? START_FORMAT.exec(start) : null
  const ok =
    m !== null &&
    (m[4] !== undefined || options.allowDateOnly === true) &&
    (() => {
      const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number]
      const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
      return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60
    })()
  if (!ok) {
    throw invalid(
      subject,
      `refresh START must be a time written 'yyyy-MM-dd HH:mm:ss' (e.g. '2025-01-01 00:00:00') or a Date, got ${show(start)}.`,
      { value: start },
    )
  }
}

/** Throws `INVALID_MV` unless the refresh spec is well formed (START format, a positive whole interval). */
export const checkRefresh = (refresh: RefreshSpec, subject: string): void => {
  if (refresh.kind !== 'async' && refresh.kind !== 'manual') {
    throw invalid(subject, `unknown refresh kind ${show((refresh as { kind: unknown }).kind)}: use async or manual.`)
  }
  if (typeof refresh.deferred !== 'boolean') {
    throw invalid(subject, `refresh "deferred" must be a boolean, got ${show(refresh.deferred)}.`)
  }
  if (refresh.kind === 'manual') return
  if (refresh.start !== undefined) checkStart(refresh.start, subject, { allowDateOnly: true })
  if (refresh.every === undefined) {
    if (refresh.start !== undefined) {
      throw invalid(subject, `refresh START ${show(refresh.start)} needs an interval: add every, e.g. { every: '1 DAY' }.`)
    }
    return
  }
  if (refresh.every === null || typeof refresh.every !== 'object') throw invalid(subject, `the refresh interval must be { value, unit }, got ${show(refresh.every)}.`)
  const { value, unit } = refresh.every
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalid(subject, `the refresh interval must be a whole number greater than 0, got ${show(value)}.`, { value })
  }
  if (value > MAX_COUNT) throw invalid(subject, `the refresh interval ${show(value)} is too large: StarRocks takes at most ${MAX_COUNT}. Use a larger unit.`, { value })
  if (!INTERVAL_UNITS.includes(unit)) {
    throw invalid(subject, `unknown refresh interval unit ${show(unit)}: use one of ${INTERVAL_UNITS.join(', ')}.`, { value: unit })
  }
}

const checkBuckets = (buckets: unknown, subject: string): void => {
  if (buckets === undefined) return
  if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets <= 0) {
    throw invalid(subject, `BUCKETS must be a whole number greater than 0, got ${show(buckets)}. Omit it to let StarRocks choose.`, { value: buckets })
  }
  if (buckets > MAX_COUNT) {
    throw invalid(subject, `BUCKETS ${show(buckets)} is too large: StarRocks takes at most ${MAX_COUNT}. Omit it to let StarRocks choose.`, { value: buckets })
  }
}

/** A plain or back-quoted single identifier (`dt`, `` `dt` ``), as written in PARTITION BY; otherwise undefined. */
export const bareColumnName = (text: string): string | undefined => {
  const t = text.trim()
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return t
  return unquoteIdentifier(t)
}

const checkColumnNames = (names: readonly unknown[], what: string, subject: string): void => {
  if (!Array.isArray(names)) throw invalid(subject, `${what} must be a list of column names, got ${show(names)}.`, { value: names })
  if (names.length === 0) throw invalid(subject, `${what} needs at least one column.`)
  const seen = new Set<string>()
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0 || n.includes('\0')) {
      throw invalid(subject, `${what}: every column must be a non-empty name, got ${show(n)}.`, { value: n })
    }
    const key = n.toLowerCase()
    if (seen.has(key)) throw invalid(subject, `${what} names the column ${show(n)} twice.`, { value: n })
    seen.add(key)
  }
}

const checkDeclared = (names: readonly string[], declared: ReadonlySet<string> | undefined, what: string, subject: string): void => {
  if (declared === undefined) return
  for (const n of names) {
    if (!declared.has(n.toLowerCase())) {
      throw invalid(
        subject,
        `${what} uses the column ${show(n)}, which is not in the declared column list (${[...declared].join(', ')}). ` +
          'Add it to .columns(...) or use a declared column.',
        { value: n },
      )
    }
  }
}

const checkPropertyValue = (key: string, value: unknown, subject: string): void => {
  if (key.length === 0) throw invalid(subject, 'a property name must not be empty.')
  if (key === '__proto__') throw invalid(subject, 'the property name "__proto__" is refused: it would change the prototype of JavaScript objects that hold the properties.', { property: key })
  if (typeof value !== 'string') {
    throw invalid(subject, `property ${show(key)} must be stored as a string, got ${show(value)}.`, { property: key, value })
  }
  const spec = propertySpec(key)
  if (spec === undefined) return
  const ok =
    spec.type === 'number'
      ? /^-?\d+$/.test(value)
      : spec.type === 'boolean'
        ? value === 'true' || value === 'false'
        : spec.type === 'enum'
          ? (spec.values ?? []).some((v) => v.toLowerCase() === value.toLowerCase())
          : true
  if (!ok) {
    const expected =
      spec.type === 'number' ? 'a whole number' : spec.type === 'boolean' ? 'true or false' : `one of ${(spec.values ?? []).join(', ')}`
    throw invalid(subject, `property ${show(key)} must be ${expected}, got ${show(value)}.`, { property: key, value })
  }
}

const checkIndexes = (def: MvDefinition, declared: Set<string> | undefined, subject: string): void => {
  const indexes = def.indexes ?? []
  if (indexes.length === 0) return
  if (def.sync) throw invalid(subject, 'a synchronous MV (.sync()) takes no indexes: declare them on an asynchronous MV.')
  if (declared === undefined) {
    throw invalid(subject, 'indexes go in the column list after the columns, so an MV with indexes needs a column list: add .columns(...).')
  }
  const names = new Set<string>()
  for (const ix of indexes) {
    if (typeof ix.name !== 'string' || ix.name === '') throw invalid(subject, `an index needs a name, got ${show(ix.name)}.`)
    if (names.has(ix.name.toLowerCase())) throw invalid(subject, `two indexes are named ${show(ix.name)}: index names must differ (case-insensitively).`)
    names.add(ix.name.toLowerCase())
    if (!Array.isArray(ix.columns) || ix.columns.length === 0) throw invalid(subject, `index ${show(ix.name)} needs at least one column.`)
    checkColumnNames(ix.columns, `index ${ix.name}`, subject)
    checkDeclared(ix.columns, declared, `index ${ix.name}`, subject)
    if (ix.using !== undefined && !(INDEX_KINDS as readonly string[]).includes(ix.using)) {
      throw invalid(subject, `index ${show(ix.name)}: unknown kind ${show(ix.using)}; use one of ${INDEX_KINDS.join(', ')}.`)
    }
    if (ix.properties !== undefined && Object.keys(ix.properties).length > 0 && ix.using === undefined) {
      throw invalid(subject, `index ${show(ix.name)} has properties but no kind: properties follow USING <kind>.`)
    }
    for (const [k, v] of Object.entries(ix.properties ?? {})) {
      if (typeof v !== 'string') throw invalid(subject, `index ${show(ix.name)}: the value of property ${show(k)} must be a string, got ${show(v)}.`)
    }
    if (ix.comment !== undefined && typeof ix.comment !== 'string') throw invalid(subject, `index ${show(ix.name)}: the comment must be a string.`)
  }
}

/**
 * Check what types cannot: names, START format, intervals, BUCKETS, sync-MV restrictions, duplicate
 * columns, partition / distribution / order columns missing from a declared column list, property
 * values. Throws `INVALID_MV` with a message naming the MV and the value.
 */
export const validateDefinition = (def: MvDefinition): void => {
  if (def === null || typeof def !== 'object' || def.kind !== 'MvDefinition') {
    throw new StarRocksMvError('INVALID_MV', 'Expected an MvDefinition (build one with mv(name)...as(query)).')
  }
  checkMvName(def.name)
  const subject = QualifiedName.key(def)
  if (def.schema !== undefined) checkSchemaName(def.schema, subject)
  if (typeof def.query !== 'string' || def.query.trim() === '') {
    throw invalid(subject, 'the query is empty: give the MV its query with .as(sql`SELECT ...`).')
  }
  if (def.sync) {
    const extra = [
      def.refresh !== undefined ? 'REFRESH' : undefined,
      def.distribution !== undefined ? 'DISTRIBUTED BY' : undefined,
      def.partitionBy !== undefined ? 'PARTITION BY' : undefined,
      def.orderBy !== undefined ? 'ORDER BY' : undefined,
      def.columns !== undefined ? 'a column list' : undefined,
    ].filter((x) => x !== undefined)
    if (extra.length > 0) {
      throw invalid(
        subject,
        `a synchronous MV (.sync()) takes no ${extra.join(', ')}: those make an asynchronous MV. Remove .sync() or the clause.`,
        { clauses: extra },
      )
    }
  }
  if (!Array.isArray(def.dependencies) || def.dependencies.some((d) => d === null || typeof d !== 'object' || typeof d.name !== 'string' || (d.catalog !== undefined && typeof d.catalog !== 'string'))) {
    throw invalid(subject, 'the dependencies must be a list of { catalog?, schema?, name } objects.')
  }
  if (def.properties === null || typeof def.properties !== 'object') throw invalid(subject, 'the properties must be an object of strings.')
  let declared: Set<string> | undefined
  if (def.columns !== undefined) {
    if (!Array.isArray(def.columns) || def.columns.some((c) => c === null || typeof c !== 'object')) {
      throw invalid(subject, `the column list must be a list of { name, comment? } objects, got ${show(def.columns)}.`)
    }
    checkColumnNames(
      def.columns.map((c) => c.name),
      'the column list',
      subject,
    )
    for (const c of def.columns) {
      if (c.comment !== undefined && typeof c.comment !== 'string') {
        throw invalid(subject, `the comment of column ${show(c.name)} must be a string, got ${show(c.comment)}.`)
      }
    }
    declared = new Set(def.columns.map((c) => c.name.toLowerCase()))
  }
  if (def.indexes !== undefined) checkIndexes(def, declared, subject)
  if (def.comment !== undefined && typeof def.comment !== 'string') {
    throw invalid(subject, `the comment must be a string, got ${show(def.comment)}.`)
  }
  if (def.partitionBy !== undefined) {
    if (!Array.isArray(def.partitionBy)) throw invalid(subject, `PARTITION BY must be a list of SQL texts, got ${show(def.partitionBy)}.`)
    if (def.partitionBy.length === 0) throw invalid(subject, 'PARTITION BY needs at least one column or expression.')
    for (const p of def.partitionBy) {
      if (typeof p !== 'string' || p.trim() === '') throw invalid(subject, `PARTITION BY entries must be non-empty SQL, got ${show(p)}.`)
    }
    const bare = def.partitionBy.map(bareColumnName).filter((n): n is string => n !== undefined)
    checkDeclared(bare, declared, 'PARTITION BY', subject)
  }
  if (def.distribution !== undefined) {
    const d = def.distribution
    if (d === null || typeof d !== 'object') throw invalid(subject, `the distribution must be { kind: 'hash', columns } or { kind: 'random' }, got ${show(d)}.`)
    if (d.kind === 'hash') {
      checkColumnNames(d.columns, 'DISTRIBUTED BY HASH', subject)
      checkDeclared(d.columns, declared, 'DISTRIBUTED BY HASH', subject)
    } else if (d.kind !== 'random') {
      throw invalid(subject, `unknown distribution ${show((d as { kind: unknown }).kind)}: use hash or random.`)
    }
    checkBuckets(d.buckets, subject)
  }
  if (def.orderBy !== undefined) {
    checkColumnNames(def.orderBy, 'ORDER BY', subject)
    checkDeclared(def.orderBy, declared, 'ORDER BY', subject)
  }
  if (def.refresh !== undefined) {
    if (def.refresh === null || typeof def.refresh !== 'object') throw invalid(subject, `the refresh must be an object, got ${show(def.refresh)}.`)
    checkRefresh(def.refresh, subject)
  }
  for (const [k, v] of Object.entries(def.properties)) checkPropertyValue(k, v, subject)
  if (def.renamedFrom !== undefined) checkMvName(def.renamedFrom, 'renamedFrom', subject)
  if (def.rebuild !== undefined && def.rebuild !== 'swap' && def.rebuild !== 'drop-create') {
    throw invalid(subject, `rebuild must be 'swap' or 'drop-create', got ${show(def.rebuild)}.`)
  }
}
