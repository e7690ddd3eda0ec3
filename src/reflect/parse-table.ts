import {
  AGGREGATE_TYPES,
  TableDefinition,
  canonicalColumnType,
  type AggregateType,
  type ColumnDefault,
  type Distribution,
  type KeyModel,
  type ListPartition,
  type RangePartition,
  type TableColumn,
  type TableIndex,
  type TablePartitioning,
} from '../model/index.js'
import { canonicalExpression } from './canonical-expression.js'
import { clauseEnd, Cursor, identifierList, parseDistribution, parseProperties, partitionEntry, splitTopLevel } from './parse-materialized-view.js'
import { isKeyword, significant, tokenize, type Token } from './tokenizer.js'

const CONTEXT = 'CREATE TABLE'
const KEY_MODELS: readonly KeyModel[] = ['DUPLICATE', 'AGGREGATE', 'UNIQUE', 'PRIMARY']
const TABLE_CLAUSES = ['ENGINE', 'DUPLICATE', 'AGGREGATE', 'UNIQUE', 'PRIMARY', 'COMMENT', 'PARTITION', 'DISTRIBUTED', 'ORDER', 'PROPERTIES', 'ROLLUP', 'BROKER']

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p

/** The text of a column type: a name, `(args)`, `<nested>`, `UNSIGNED`; canonicalised. */
const parseType = (c: Cursor, source: string): string => {
  const first = c.peek()
  if (first === undefined || first.kind !== 'word') c.fail('a column type')
  c.next()
  let last = first
  if (isPunct(c.peek(), '(')) {
    const close = c.matching(c.index)
    last = c.at(close) as Token
    c.seek(close + 1)
  }
  if (isPunct(c.peek(), '<')) {
    let depth = 0
    for (;;) {
      const t = c.next()
      if (t === undefined) c.fail('">" closing the nested type')
      if (isPunct(t, '<')) depth++
      else if (isPunct(t, '>')) depth--
      last = t
      if (depth === 0) break
    }
  }
  while (isKeyword(c.peek(), 'UNSIGNED') || isKeyword(c.peek(), 'SIGNED')) c.next()
  const text = source.slice(first.start, last.end)
  try {
    return canonicalColumnType(text)
  } catch (e) {
    return c.fail(`a StarRocks column type (${(e as Error).message})`, first)
  }
}

const parseDefault = (c: Cursor): ColumnDefault => {
  const t = c.peek()
  if (isKeyword(t, 'CURRENT_TIMESTAMP')) {
    c.next()
    if (isPunct(c.peek(), '(')) {
      c.next()
      c.punct(')')
    }
    return { kind: 'current_timestamp' }
  }
  if (t?.kind === 'string' || t?.kind === 'number') {
    c.next()
    return { kind: 'value', value: t.value }
  }
  if (isKeyword(t, 'NULL')) c.fail('a default value (a NULL default is the same as no default: remove it)')
  if (isPunct(t, '(')) {
    const close = c.matching(c.index)
    const text = canonicalExpression(c.slice(c.index + 1, close))
    c.seek(close + 1)
    return { kind: 'expression', sql: text }
  }
  return c.fail('a quoted default value, CURRENT_TIMESTAMP or (expression)')
}

const parseColumn = (c: Cursor, source: string): TableColumn => {
  const name = c.identifier('a column name')
  const type = parseType(c, source)
  let nullable = true
  let comment: string | undefined
  let autoIncrement = false
  let aggregate: AggregateType | undefined
  let def: ColumnDefault | undefined
  for (;;) {
    const t = c.peek()
    if (t === undefined || isPunct(t, ',') || isPunct(t, ')')) break
    const upper = t.kind === 'word' ? t.value.toUpperCase() : ''
    if ((AGGREGATE_TYPES as readonly string[]).includes(upper)) {
      c.next()
      aggregate = upper as AggregateType
    } else if (upper === 'NOT') {
      c.next()
      c.keyword('NULL', 'NULL after NOT')
      nullable = false
    } else if (upper === 'NULL') {
      c.next()
      nullable = true
    } else if (upper === 'AUTO_INCREMENT') {
      c.next()
      autoIncrement = true
    } else if (upper === 'KEY') {
      c.next()
    } else if (upper === 'DEFAULT') {
      c.next()
      def = parseDefault(c)
    } else if (upper === 'COMMENT') {
      c.next()
      comment = c.string('a quoted column comment')
    } else if (upper === 'AS') {
      c.fail(`the end of column "${name}" (generated columns are not supported by this library)`)
    } else {
      c.fail(`NULL, NOT NULL, DEFAULT, AUTO_INCREMENT, COMMENT or an aggregate type in the definition of column "${name}"`)
    }
  }
  return {
    name, type, nullable,
    ...(def === undefined ? {} : { default: def }),
    ...(comment === undefined || comment === '' ? {} : { comment }),
    ...(autoIncrement ? { autoIncrement: true } : {}),
    ...(aggregate === undefined ? {} : { aggregate }),
  }
}

const parseIndex = (c: Cursor): TableIndex => {
  c.keyword('INDEX')
  const name = c.identifier('an index name')
  c.punct('(', '"(" after the index name')
  const columns = identifierList(c, `index ${name}`)
  c.punct(')', '"," or ")" in the index columns')
  let using: TableIndex['using'] = 'BITMAP'
  if (c.accept('USING')) {
    const t = c.peek()
    const u = t?.kind === 'word' ? t.value.toUpperCase() : ''
    if (u !== 'BITMAP' && u !== 'NGRAMBF' && u !== 'GIN') c.fail('BITMAP, NGRAMBF or GIN after USING')
    c.next()
    using = u
  }
  let properties: Record<string, string> | undefined
  if (isPunct(c.peek(), '(')) properties = parseProperties(c)
  let comment: string | undefined
  if (c.accept('COMMENT')) comment = c.string('a quoted index comment')
  return {
    name, columns, using,
    ...(properties === undefined || Object.keys(properties).length === 0 ? {} : { properties }),
    ...(comment === undefined || comment === '' ? {} : { comment }),
  }
}

/** `("a", "b")`: a tuple of partition values (strings or numbers; MAXVALUE kept as the word). */
const valueTuple = (c: Cursor): string[] => {
  c.punct('(', '"(" opening partition values')
  const out: string[] = []
  do {
    const t = c.peek()
    if (t === undefined || !(t.kind === 'string' || t.kind === 'number' || isKeyword(t, 'MAXVALUE'))) c.fail('a quoted partition value')
    c.next()
    out.push(t.kind === 'word' ? 'MAXVALUE' : t.value)
  } while (c.acceptPunct(','))
  c.punct(')', '"," or ")" in partition values')
  return out
}

const skipIfNotExists = (c: Cursor): void => {
  if (!c.accept('IF')) return
  c.keyword('NOT', 'NOT EXISTS after IF')
  c.keyword('EXISTS', 'EXISTS after IF NOT')
}

const parseRangePartitions = (c: Cursor): RangePartition[] => {
  c.punct('(', '"(" opening the partition list')
  const parts: RangePartition[] = []
  if (c.acceptPunct(')')) return parts
  do {
    if (isKeyword(c.peek(), 'START')) c.fail('PARTITION name VALUES ... (batch START/END/EVERY partitions are not supported: declare the partitions one by one)')
    c.keyword('PARTITION', 'PARTITION name VALUES ...')
    skipIfNotExists(c)
    const name = c.identifier('a partition name')
    c.keyword('VALUES', 'VALUES after the partition name')
    if (c.accept('LESS')) {
      c.keyword('THAN', 'THAN after LESS')
      if (c.accept('MAXVALUE')) parts.push({ name, lessThan: ['MAXVALUE'] })
      else parts.push({ name, lessThan: valueTuple(c) })
    } else {
      c.punct('[', 'LESS THAN (...) or [(lower), (upper))')
      const lower = valueTuple(c)
      c.punct(',', '"," between the bounds')
      const upper = valueTuple(c)
      c.punct(')', '")" closing the range [(lower), (upper))')
      parts.push({ name, lower, upper })
    }
    if (isPunct(c.peek(), '(')) parseProperties(c)
  } while (c.acceptPunct(','))
  c.punct(')', '"," or ")" in the partition list')
  return parts
}

const parseListPartitions = (c: Cursor, columns: number): ListPartition[] => {
  c.punct('(', '"(" opening the partition list')
  const parts: ListPartition[] = []
  if (c.acceptPunct(')')) return parts
  do {
    c.keyword('PARTITION', 'PARTITION name VALUES IN (...)')
    skipIfNotExists(c)
    const name = c.identifier('a partition name')
    c.keyword('VALUES', 'VALUES after the partition name')
    c.keyword('IN', 'IN after VALUES')
    const values: string[][] = []
    if (columns > 1 || isPunct(c.peek(1), '(')) {
      c.punct('(', '"(" opening the value list')
      do values.push(valueTuple(c))
      while (c.acceptPunct(','))
      c.punct(')', '")" closing the value list')
    } else {
      for (const v of valueTuple(c)) values.push([v])
    }
    parts.push({ name, values })
    if (isPunct(c.peek(), '(')) parseProperties(c)
  } while (c.acceptPunct(','))
  c.punct(')', '"," or ")" in the partition list')
  return parts
}

const parsePartitioning = (c: Cursor): TablePartitioning => {
  const kind = isKeyword(c.peek(), 'RANGE') ? 'range' : isKeyword(c.peek(), 'LIST') ? 'list' : undefined
  if (kind !== undefined && isPunct(c.peek(1), '(')) {
    c.next()
    c.next()
    if (isPunct(c.peek(1), '(')) c.fail(`partition columns (${kind.toUpperCase()} over an expression is not supported: use expression partitioning)`)
    const columns = identifierList(c, `PARTITION BY ${kind.toUpperCase()}`)
    c.punct(')', `"," or ")" in PARTITION BY ${kind.toUpperCase()}(...)`)
    if (kind === 'range') return { kind, columns, partitions: parseRangePartitions(c) }
    return { kind, columns, partitions: parseListPartitions(c, columns.length) }
  }
  // Expression partitioning: up to the next clause.
  const from = c.index
  const i = clauseEnd(c, TABLE_CLAUSES).end
  const toks = c.slice(from, i)
  if (toks.length === 0) c.fail('RANGE, LIST or a partition expression after PARTITION BY', c.at(i))
  const wrapped = isPunct(toks[0], '(') && c.matching(from) === i - 1
  const entries = splitTopLevel(wrapped ? toks.slice(1, -1) : toks)
  if (entries.some((e) => e.length === 0)) c.fail('a partition column or expression', c.at(i))
  c.seek(i)
  return { kind: 'expression', expressions: entries.map(partitionEntry) }
}

/**
 * Parse one CREATE TABLE statement (what SHOW CREATE TABLE prints, of any version, or what a user
 * wrote) into a {@link TableDefinition}. Column types are canonical (`int(11)` → `INT`, `decimal64(10, 2)` →
 * `DECIMAL(10, 2)`), empty comments dropped; what the server adds on its own (default properties,
 * `ENGINE=OLAP`, the default key) is kept here and ignored by comparisons. Throws `PARSE_ERROR` with the
 * line and column of the first thing it cannot read.
 *
 * @example
 * ```ts
 * parseCreateTable('CREATE TABLE `t` (`k` int(11) NOT NULL COMMENT "") ENGINE=OLAP PRIMARY KEY(`k`) DISTRIBUTED BY HASH(`k`);').key
 * // { model: 'PRIMARY', columns: ['k'] }
 * ```
 */
export const parseCreateTable = (ddl: string): TableDefinition => {
  const toks = significant(tokenize(ddl))
  while (toks.length > 0 && isPunct(toks[toks.length - 1], ';')) toks.pop()
  const c = new Cursor(ddl, toks, CONTEXT)
  c.keyword('CREATE', 'CREATE TABLE')
  c.accept('EXTERNAL')
  c.keyword('TABLE', 'TABLE after CREATE')
  if (c.accept('IF')) {
    c.keyword('NOT', 'NOT EXISTS after IF')
    c.keyword('EXISTS', 'EXISTS after IF NOT')
  }
  let name = c.identifier('the table name')
  let schema: string | undefined
  if (c.acceptPunct('.')) {
    schema = name
    name = c.identifier('the table name after the database')
    if (c.acceptPunct('.')) {
      schema = name
      name = c.identifier('the table name after the catalog and database')
    }
  }
  c.punct('(', '"(" opening the column list')
  const columns: TableColumn[] = []
  const indexes: TableIndex[] = []
  do {
    if (isKeyword(c.peek(), 'INDEX')) indexes.push(parseIndex(c))
    else columns.push(parseColumn(c, ddl))
  } while (c.acceptPunct(','))
  c.punct(')', '"," or ")" in the column list')
  let key: { model: KeyModel; columns: string[] } | undefined
  let comment: string | undefined
  let partitionBy: TablePartitioning | undefined
  let distribution: Distribution | undefined
  let orderBy: string[] | undefined
  let properties: Record<string, string> = {}
  while (c.peek() !== undefined) {
    const t = c.peek()
    const word = t?.kind === 'word' ? t.value.toUpperCase() : ''
    if (word === 'ENGINE') {
      c.next()
      c.punct('=', '"=" after ENGINE')
      const engine = c.identifier('the engine name')
      if (engine.toUpperCase() !== 'OLAP') c.fail(`ENGINE=OLAP (a ${engine} table is not a managed table)`, c.at(c.index - 1))
    } else if ((KEY_MODELS as readonly string[]).includes(word) && isKeyword(c.peek(1), 'KEY')) {
      c.next()
      c.next()
      c.punct('(', `"(" after ${word} KEY`)
      key = { model: word as KeyModel, columns: identifierList(c, `${word} KEY`) }
      c.punct(')', `"," or ")" in ${word} KEY(...)`)
    } else if (word === 'COMMENT') {
      c.next()
      comment = c.string('a quoted table comment')
    } else if (word === 'PARTITION') {
      c.next()
      c.keyword('BY', 'BY after PARTITION')
      partitionBy = parsePartitioning(c)
    } else if (word === 'DISTRIBUTED') {
      c.next()
      c.keyword('BY', 'BY after DISTRIBUTED')
      distribution = parseDistribution(c)
    } else if (word === 'ORDER') {
      c.next()
      c.keyword('BY', 'BY after ORDER')
      c.punct('(', '"(" after ORDER BY')
      orderBy = identifierList(c, 'ORDER BY')
      c.punct(')', '"," or ")" in ORDER BY(...)')
    } else if (word === 'PROPERTIES') {
      c.next()
      properties = { ...properties, ...parseProperties(c) }
    } else {
      c.fail('ENGINE, a key model, COMMENT, PARTITION BY, DISTRIBUTED BY, ORDER BY, PROPERTIES or the end of the statement')
    }
  }
  return TableDefinition.create({
    name,
    ...(schema === undefined ? {} : { schema }),
    columns,
    ...(key === undefined ? {} : { key }),
    ...(comment === undefined ? {} : { comment }),
    ...(partitionBy === undefined ? {} : { partitionBy }),
    ...(distribution === undefined ? {} : { distribution }),
    ...(orderBy === undefined ? {} : { orderBy }),
    ...(indexes.length === 0 ? {} : { indexes }),
    properties,
  })
}
