import { alterTable, cancelAlterColumn, createIndex, dropIndexOn, showAlterColumn } from './alter-table.js'
import { isKeyword } from '../reflect/tokenizer.js'
import type { Catalog, RefreshBehaviour } from './catalog.js'
import { EmulatorError, analysisError, syntaxError, unknownDatabase } from './emulator-error.js'
import { evaluateConstant, evaluateQuery, like, type Value } from './evaluate.js'
import { parseExpr } from './expression.js'
import {
  alterMaterializedView, cancelRefreshMaterializedView, createMaterializedView, dropMaterializedView, refreshMaterializedView,
  showCreateMaterializedView, showMaterializedViews, type MvContext,
} from './mv-statements.js'
import { parseQuery } from './select-query.js'
import { findRelation, makeEnv, requireDatabase, resolveDb, variableName, type Session, type StatementResult } from './session.js'
import { showCreateTable, showCreateView } from './show-create.js'
import { createTable, createView, deleteFrom, dropTableOrView, insertInto, truncate, update } from './table-statements.js'
import { TokenCursor, lex } from './token-cursor.js'

const OK: StatementResult = { kind: 'ok', affectedRows: 0 }

const rows = (names: readonly string[], values: readonly (readonly Value[])[]): StatementResult => ({
  kind: 'rows', columns: names.map((name) => ({ name, type: 'VARCHAR' })), rows: values,
})

/** Run one statement against the catalog for a session. */
export const executeStatement = async (
  cat: Catalog,
  session: Session,
  text: string,
  refreshBehaviour: () => RefreshBehaviour | undefined,
): Promise<StatementResult> => {
  let tokens = lex(text)
  while (tokens.length > 0 && tokens[tokens.length - 1]?.kind === 'punct' && tokens[tokens.length - 1]?.value === ';') tokens = tokens.slice(0, -1)
  if (tokens.some((t) => t.kind === 'punct' && t.value === ';')) {
    throw new EmulatorError(1064, 'The emulator takes one statement per query: split the script and send each statement on its own.')
  }
  if (tokens.length === 0) throw new EmulatorError(1065, 'Query was empty', '42000')
  const c = new TokenCursor(text, tokens)
  const ctx: MvContext = { cat, session, source: text, refreshBehaviour }
  const first = c.peek()
  if (c.isKw('SELECT') || c.isPunct('(')) {
    const query = parseQuery(c)
    c.expectEnd()
    const res = evaluateQuery(query, makeEnv(cat, session))
    return { kind: 'rows', columns: res.columns, rows: res.rows }
  }
  if (c.acceptKw('CREATE')) {
    if (c.acceptKw('DATABASE') || c.acceptKw('SCHEMA')) {
      const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
      const name = c.ident('database name')
      if (c.acceptKw('PROPERTIES')) c.skipGroup()
      c.expectEnd()
      if (cat.databases.has(name) || name.toLowerCase() === 'information_schema') {
        if (ifNotExists) return OK
        throw new EmulatorError(1007, `Can't create database '${name}'; database exists`, 'HY000')
      }
      cat.databases.set(name, new Map())
      return OK
    }
    if (c.acceptKw('MATERIALIZED', 'VIEW')) return createMaterializedView(c, ctx)
    if (c.isKw('OR', 'REPLACE')) {
      if (c.isKw('OR', 'REPLACE', 'VIEW')) {
        c.pos += 3
        return createView(c, cat, session, true)
      }
      throw syntaxError(c.peek(), "'VIEW'")
    }
    if (c.acceptKw('VIEW')) return createView(c, cat, session, false)
    if (c.acceptKw('INDEX')) return createIndex(c, cat, session)
    c.acceptKw('EXTERNAL')
    if (c.acceptKw('TABLE')) return createTable(c, cat, session)
    throw syntaxError(c.peek(), "'DATABASE', 'TABLE', 'VIEW', 'MATERIALIZED'")
  }
  if (c.acceptKw('DROP')) {
    if (c.acceptKw('DATABASE') || c.acceptKw('SCHEMA')) {
      const ifExists = c.acceptKw('IF', 'EXISTS')
      const name = c.ident('database name')
      c.acceptKw('FORCE')
      c.expectEnd()
      if (!cat.databases.has(name)) {
        if (ifExists) return OK
        throw new EmulatorError(1008, `Can't drop database '${name}'; database doesn't exist`, 'HY000')
      }
      cat.databases.delete(name)
      if (session.currentDb === name) session.currentDb = undefined
      return OK
    }
    if (c.acceptKw('MATERIALIZED', 'VIEW')) return dropMaterializedView(c, ctx)
    if (c.acceptKw('VIEW')) return dropTableOrView(c, cat, session, 'view')
    if (c.acceptKw('TABLE')) return dropTableOrView(c, cat, session, 'table')
    if (c.acceptKw('INDEX')) return dropIndexOn(c, cat, session)
    throw syntaxError(c.peek(), "'DATABASE', 'TABLE', 'VIEW', 'MATERIALIZED'")
  }
  if (c.acceptKw('ALTER', 'MATERIALIZED', 'VIEW')) return alterMaterializedView(c, ctx)
  if (c.acceptKw('ALTER', 'TABLE')) return alterTable(c, cat, session)
  if (c.acceptKw('ALTER', 'VIEW')) return createView(c, cat, session, false, true)
  if (c.acceptKw('REFRESH', 'MATERIALIZED', 'VIEW')) return refreshMaterializedView(c, ctx)
  if (c.acceptKw('CANCEL', 'REFRESH', 'MATERIALIZED', 'VIEW')) return cancelRefreshMaterializedView(c, ctx)
  if (c.acceptKw('CANCEL', 'ALTER', 'TABLE', 'COLUMN')) return cancelAlterColumn(c, cat, session)
  if (c.acceptKw('USE')) {
    const name = c.ident('database name')
    c.expectEnd()
    if (name.toLowerCase() !== 'information_schema' && !cat.databases.has(name)) throw unknownDatabase(name)
    session.currentDb = name
    return OK
  }
  if (c.acceptKw('SET')) return setStatement(c, cat, session)
  if (c.acceptKw('SHOW')) return show(c, cat, session, ctx)
  if (c.acceptKw('INSERT')) return insertInto(c, cat, session)
  if (c.acceptKw('UPDATE')) return update(c, cat, session)
  if (c.acceptKw('DELETE')) return deleteFrom(c, cat, session)
  if (c.acceptKw('TRUNCATE')) return truncate(c, cat, session)
  if (c.isKw('BEGIN') || c.isKw('COMMIT') || c.isKw('ROLLBACK') || c.isKw('START', 'TRANSACTION')) return OK
  if (c.acceptKw('DESC') || c.acceptKw('DESCRIBE')) {
    const q = c.qualifiedName()
    c.expectEnd()
    const db = resolveDb(session, q.db)
    requireDatabase(cat, db)
    const r = findRelation(cat, db, q.name)
    if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
    const cols = r.kind === 'table'
      ? r.columns.map((col) => [col.name, col.type.toLowerCase(), col.nullable ? 'YES' : 'NO', r.keys.includes(col.name) ? 'true' : 'false', col.defaultValue === undefined ? null : String(col.defaultValue), ''])
      : r.columns.map((col) => [col.name, col.type.toLowerCase(), 'YES', 'false', null, ''])
    return rows(['Field', 'Type', 'Null', 'Key', 'Default', 'Extra'], cols)
  }
  throw syntaxError(first)
}

const setStatement = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  if (c.acceptKw('NAMES') || c.acceptKw('CHARACTER', 'SET') || c.acceptKw('CHARSET')) {
    while (!c.atEnd) c.next()
    return OK
  }
  if (c.isKw('PASSWORD') || c.isKw('ROLE') || c.isKw('TRANSACTION') || c.isKw('DEFAULT', 'ROLE')) {
    while (!c.atEnd) c.next()
    return OK
  }
  do {
    let system = true
    c.acceptKw('SESSION') || c.acceptKw('GLOBAL') || c.acceptKw('LOCAL')
    if (c.acceptPunct('@')) system = c.acceptPunct('@')
    let name = c.ident('variable')
    while (c.acceptPunct('.')) name = `${name}.${c.ident('variable')}`
    if (!c.acceptPunct('=')) c.expectPunct(':=')
    const e = parseExpr(c)
    const value = e.k === 'col' && e.parts.length === 1 ? (e.parts[0] as string) : evaluateConstant(e, makeEnv(cat, session))
    if (system) session.vars.set(variableName(name), value)
    else session.userVars.set(name.toLowerCase(), value)
  } while (c.acceptPunct(','))
  c.expectEnd()
  return OK
}

const show = (c: TokenCursor, cat: Catalog, session: Session, ctx: MvContext): StatementResult => {
  if (c.acceptKw('CREATE', 'MATERIALIZED', 'VIEW')) return showCreateMaterializedView(c, ctx)
  if (c.acceptKw('MATERIALIZED', 'VIEWS')) return showMaterializedViews(c, ctx)
  if (c.acceptKw('ALTER', 'TABLE', 'COLUMN')) {
    const r = showAlterColumn(c, cat, session)
    return rows(r.columns, r.rows)
  }
  if (c.acceptKw('DATABASES') || c.acceptKw('SCHEMAS')) {
    const pattern = c.acceptKw('LIKE') ? c.string('pattern') : undefined
    c.expectEnd()
    const all = ['information_schema', ...cat.databases.keys()].filter((d) => pattern === undefined || like(d, pattern))
    return rows(['Database'], all.map((d) => [d]))
  }
  if (c.acceptKw('CREATE', 'TABLE') || c.acceptKw('CREATE', 'VIEW')) {
    const q = c.qualifiedName()
    c.expectEnd()
    const db = resolveDb(session, q.db)
    requireDatabase(cat, db)
    const r = findRelation(cat, db, q.name)
    if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
    if (r.kind === 'mv') return showCreateMaterializedView(new TokenCursor(q.name), ctx)
    if (r.kind === 'view') return rows(['View', 'Create View', 'character_set_client', 'collation_connection'], [[r.name, showCreateView(r), 'utf8', 'utf8_general_ci']])
    return rows(['Table', 'Create Table'], [[r.name, showCreateTable(r, cat)]])
  }
  const full = c.acceptKw('FULL')
  if (c.acceptKw('TABLES')) {
    let dbName: string | undefined
    if (c.acceptKw('FROM') || c.acceptKw('IN')) dbName = c.ident('database')
    const pattern = c.acceptKw('LIKE') ? c.string('pattern') : undefined
    c.expectEnd()
    const db = resolveDb(session, dbName)
    const rels = [...requireDatabase(cat, db).values()].filter((r) => !(r.kind === 'mv' && r.sync) && (pattern === undefined || like(r.name, pattern)))
    const type = (k: string): string => (k === 'table' ? 'BASE TABLE' : 'VIEW')
    return full
      ? rows([`Tables_in_${db}`, 'Table_type'], rels.map((r) => [r.name, type(r.kind)]))
      : rows([`Tables_in_${db}`], rels.map((r) => [r.name]))
  }
  if (c.acceptKw('VARIABLES') || c.acceptKw('SESSION', 'VARIABLES') || c.acceptKw('GLOBAL', 'VARIABLES')) {
    let pattern: string | undefined
    let whereName: string | undefined
    if (c.acceptKw('LIKE')) pattern = c.string('pattern')
    else if (c.acceptKw('WHERE')) {
      c.acceptKw('Variable_name') || c.acceptKw('variable_name')
      c.expectPunct('=')
      whereName = c.string('variable name')
    }
    c.expectEnd()
    const all = [...session.vars].filter(([k]) => (pattern === undefined || like(k, pattern)) && (whereName === undefined || k === whereName.toLowerCase()))
    return rows(['Variable_name', 'Value'], all.map(([k, v]) => [k, v === null ? null : String(v)]))
  }
  if (isKeyword(c.peek(), 'WARNINGS') || isKeyword(c.peek(), 'ERRORS')) {
    c.next()
    c.expectEnd()
    return rows(['Level', 'Code', 'Message'], [])
  }
  throw syntaxError(c.peek(), "'CREATE', 'MATERIALIZED', 'DATABASES', 'TABLES', 'VARIABLES'")
}
