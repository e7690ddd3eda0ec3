import { ViewDefinition, type MvColumn, type ViewSecurity } from '../model/index.js'
import { Cursor } from './parse-materialized-view.js'
import { queryDependencies } from './query-dependencies.js'
import { significant, tokenize, type Token } from './tokenizer.js'

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p

/**
 * Parse one CREATE VIEW statement (what SHOW CREATE VIEW prints, or what a user wrote) into a
 * {@link ViewDefinition}: the column list with comments, COMMENT, SECURITY and the query (text as
 * printed; dependencies read from it). Throws `PARSE_ERROR` with the line and column.
 *
 * @example
 * ```ts
 * parseCreateView('CREATE VIEW `v` (`x`) COMMENT "c" AS SELECT 1 AS x;').columns // [{ name: 'x' }]
 * ```
 */
export const parseCreateView = (ddl: string): ViewDefinition => {
  const toks = significant(tokenize(ddl))
  while (toks.length > 0 && isPunct(toks[toks.length - 1], ';')) toks.pop()
  const c = new Cursor(ddl, toks, 'CREATE VIEW')
  c.keyword('CREATE', 'CREATE VIEW')
  if (c.accept('OR')) c.keyword('REPLACE', 'REPLACE after OR')
  c.keyword('VIEW', 'VIEW after CREATE')
  if (c.accept('IF')) {
    c.keyword('NOT', 'NOT EXISTS after IF')
    c.keyword('EXISTS', 'EXISTS after IF NOT')
  }
  let name = c.identifier('the view name')
  let schema: string | undefined
  if (c.acceptPunct('.')) {
    schema = name
    name = c.identifier('the view name after the database')
  }
  let columns: MvColumn[] | undefined
  if (c.acceptPunct('(')) {
    columns = []
    do {
      const col = c.identifier('a column name')
      const comment = c.accept('COMMENT') ? c.string('a quoted column comment') : undefined
      columns.push(comment === undefined || comment === '' ? { name: col } : { name: col, comment })
    } while (c.acceptPunct(','))
    c.punct(')', '"," or ")" in the column list')
  }
  let comment: string | undefined
  let security: ViewSecurity | undefined
  for (;;) {
    if (c.accept('COMMENT')) comment = c.string('a quoted view comment')
    else if (c.accept('SECURITY')) {
      const t = c.peek()
      const v = t?.kind === 'word' ? t.value.toUpperCase() : ''
      if (v !== 'NONE' && v !== 'INVOKER') c.fail('NONE or INVOKER after SECURITY')
      c.next()
      security = v as ViewSecurity
    } else break
  }
  c.keyword('AS', 'AS before the query')
  const first = c.peek() ?? c.fail('the query after AS')
  const query = ddl.slice(first.start, (toks[toks.length - 1] as Token).end)
  return ViewDefinition.create({
    name,
    ...(schema === undefined ? {} : { schema }),
    ...(columns === undefined ? {} : { columns }),
    ...(comment === undefined || comment === '' ? {} : { comment }),
    ...(security === undefined ? {} : { security }),
    query,
    dependencies: queryDependencies(query),
  })
}
