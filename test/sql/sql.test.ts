import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { aliasTable, isSql, sql, table } from '../../src/index.js'
import { escapeString, formatDate, quoteIdentifier, renderLiteral, unquoteIdentifier } from '../../src/sql/quote.js'
import { queryBody } from '../../src/sql/query-text.js'

describe('renderLiteral', () => {
  it('escapes backslash first, then quotes and control characters', () => {
    expect(renderLiteral("it's")).toBe("'it\\'s'")
    expect(renderLiteral('a\\b')).toBe("'a\\\\b'")
    expect(renderLiteral("\\'")).toBe("'\\\\\\''")
    expect(renderLiteral('say "hi"')).toBe("'say \\\"hi\\\"'")
    expect(renderLiteral('\0\n\r\t\x1a')).toBe("'\\0\\n\\r\\t\\Z'")
    expect(escapeString("\\' OR 1=1 --")).toBe("\\\\\\' OR 1=1 --")
  })
  it('renders numbers, bigints, booleans, null and dates', () => {
    expect(renderLiteral(42)).toBe('42')
    expect(renderLiteral(-1.5)).toBe('-1.5')
    expect(renderLiteral(-0)).toBe('0')
    expect(renderLiteral(12345678901234567890n)).toBe('12345678901234567890')
    expect(renderLiteral(true)).toBe('TRUE')
    expect(renderLiteral(false)).toBe('FALSE')
    expect(renderLiteral(null)).toBe('NULL')
    expect(renderLiteral(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe("'2025-01-02 03:04:05'")
    expect(renderLiteral(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 60)))).toBe("'2025-01-02 03:04:05.060'")
  })
  it('refuses NaN, Infinity and invalid dates', () => {
    expect(() => renderLiteral(Number.NaN)).toThrow(/only finite numbers/)
    expect(() => renderLiteral(Number.POSITIVE_INFINITY)).toThrow(/only finite numbers/)
    expect(() => formatDate(new Date('nope'))).toThrow(/Invalid Date/)
  })
})

describe('quoteIdentifier', () => {
  it('back-quotes and doubles inner backticks', () => {
    expect(quoteIdentifier('orders')).toBe('`orders`')
    expect(quoteIdentifier('we`ird')).toBe('`we``ird`')
    expect(quoteIdentifier('naïve name')).toBe('`naïve name`')
  })
  it('rejects empty names and NUL with a clear message', () => {
    expect(() => quoteIdentifier('')).toThrow(/must not be empty/)
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/)
  })
})

describe('sql tag', () => {
  const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
  const users = table('users', { id: 'BIGINT' })

  it('renders references as identifiers and values as literals', () => {
    const q = sql`SELECT ${orders.user_id}, SUM(${orders.amount}) FROM ${orders} WHERE ${orders.amount} > ${100} AND note = ${"x'y"}`
    expect(q.toSQL()).toBe(
      "SELECT `orders`.`user_id`, SUM(`orders`.`amount`) FROM `shop`.`orders` WHERE `orders`.`amount` > 100 AND note = 'x\\'y'",
    )
  })
  it('records the tables it references, once each, in order', () => {
    const q = sql`SELECT ${orders.id} FROM ${orders} JOIN ${users} ON ${users.id} = ${orders.user_id}`
    expect(q.dependencies).toEqual([{ schema: 'shop', name: 'orders' }, { name: 'users' }])
  })
  it('nests fragments and keeps their dependencies', () => {
    const where = sql`WHERE ${orders.id} = ${1}`
    const q = sql`SELECT 1 FROM ${orders} ${where}`
    expect(q.toSQL()).toBe('SELECT 1 FROM `shop`.`orders` WHERE `orders`.`id` = 1')
    expect(q.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
  })
  it('has id, lit, raw, join and empty', () => {
    expect(sql.id('db', 'mv`x').toSQL()).toBe('`db`.`mv``x`')
    expect(sql.lit("a'b").toSQL()).toBe("'a\\'b'")
    expect(sql.raw('NOW()').toSQL()).toBe('NOW()')
    expect(sql.join([sql.id('a'), 2, 'x']).toSQL()).toBe("`a`, 2, 'x'")
    expect(sql.join([sql.id('a'), sql.id('b')], sql` AND `).toSQL()).toBe('`a` AND `b`')
    expect(sql`${sql.empty}x`.toSQL()).toBe('x')
  })
  it('makes frozen fragments that JSON cannot forge', () => {
    const q = sql`SELECT ${1}`
    expect(Object.isFrozen(q)).toBe(true)
    expect(isSql(q)).toBe(true)
    const forged = JSON.parse(JSON.stringify(q)) as unknown
    expect(isSql(forged)).toBe(false)
    expect(() => sql`SELECT ${forged as never}`).toThrow(/rebuilt from JSON is not a fragment/)
  })
  it('throws a TypeError naming the position for values it cannot render', () => {
    const bad: unknown[] = [undefined, {}, [1], () => 1, Symbol('s'), Number.NaN, Number.POSITIVE_INFINITY]
    for (const v of bad) {
      expect(() => sql`SELECT ${1}, ${v as never}`).toThrow(TypeError)
      expect(() => sql`SELECT ${1}, ${v as never}`).toThrow(/at position 1 \(\$\{\.\.\.\} number 2\)/)
    }
  })
  it('refuses to be called as a function', () => {
    expect(() => (sql as unknown as (s: string) => unknown)('SELECT 1')).toThrow(/tagged template/)
  })
  it('refuses a template part JavaScript could not read (an escape such as \\1), which would otherwise be lost', () => {
    // what the engine hands a tag for sql`SELECT regexp_replace(s, '(a)', '\1') FROM t WHERE id = ${1} AND x = '\8'`
    const strings = Object.assign(["SELECT regexp_replace(s, '(a)', '", ' AND ', undefined], {
      raw: ["SELECT regexp_replace(s, '(a)', '", ' AND ', "x = '\\8'"],
    }) as unknown as TemplateStringsArray
    expect(() => sql(strings, 1, 2)).toThrow(TypeError)
    expect(() => sql(strings, 1, 2)).toThrow(/the text "x = '\\\\8'" holds an escape JavaScript cannot read in a template literal, so that part of the query would be lost\. Write each backslash meant for the SQL text as \\\\ in the template/)
    const first = Object.assign([undefined], { raw: ["SELECT '\\1'"] }) as unknown as TemplateStringsArray
    expect(() => sql(first)).toThrow(/"SELECT '\\\\1'"/)
  })
})

describe('table()', () => {
  it('renders the qualified table and table-qualified columns', () => {
    const t = table('orders', { id: 'BIGINT' }, { schema: 'shop' })
    expect(sql`${t}`.toSQL()).toBe('`shop`.`orders`')
    expect(sql`${t.id}`.toSQL()).toBe('`orders`.`id`')
    expect(t.id.columnType).toBe('BIGINT')
    expect(Object.isFrozen(t)).toBe(true)
  })
  it('allows any column name, even ones that look like methods', () => {
    const t = table('t', { toSQL: 'INT', name: 'VARCHAR(10)', schema: 'INT' })
    expect(sql`${t.toSQL}, ${t.name}, ${t.schema}`.toSQL()).toBe('`t`.`toSQL`, `t`.`name`, `t`.`schema`')
  })
  it('rejects bad declarations clearly', () => {
    expect(() => table('', { a: 'INT' })).toThrow(/table name must be a non-empty string/)
    expect(() => table('t', { a: '' })).toThrow(/column 'a' needs a StarRocks type/)
    expect(() => table('t', [] as never)).toThrow(/columns must be an object/)
    expect(() => table('t', { ['__proto__']: 'INT' } as never)).toThrow(/the column name "__proto__" is refused/)
  })
})

describe('table aliases', () => {
  const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', parent_id: 'BIGINT' }, { schema: 'shop' })

  it('renders the table with AS and its columns under the alias, recording the table', () => {
    const o = orders.as('o')
    const f = sql`SELECT ${o.user_id} FROM ${o}`
    expect(f.toSQL()).toBe('SELECT `o`.`user_id` FROM `shop`.`orders` AS `o`')
    expect(f.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
  })

  it('makes self-joins without plain strings, one dependency', () => {
    const child = orders.as('c')
    const parent = orders.as('p')
    const f = sql`SELECT ${child.id}, ${parent.id} FROM ${child} JOIN ${parent} ON ${child.parent_id} = ${parent.id}`
    expect(f.toSQL()).toBe('SELECT `c`.`id`, `p`.`id` FROM `shop`.`orders` AS `c` JOIN `shop`.`orders` AS `p` ON `c`.`parent_id` = `p`.`id`')
    expect(f.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
  })

  it('quotes the alias like any identifier, refuses an empty one, and leaves a column named as alone', () => {
    expect(sql`${orders.as('we`ird')}`.toSQL()).toBe('`shop`.`orders` AS `we``ird`')
    expect(() => orders.as('')).toThrow(/alias/)
    const t = table('t', { as: 'INT' })
    expect(sql`${t.as}`.toSQL()).toBe('`t`.`as`')
    expect(sql`${aliasTable(t, 'x').as}`.toSQL()).toBe('`x`.`as`')
    expect(Object.keys(orders)).toEqual(['id', 'user_id', 'parent_id'])
  })
})

describe('unquoteIdentifier', () => {
  it('reads back every name quoteIdentifier writes', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0')), (name) => unquoteIdentifier(quoteIdentifier(name)) === name))
  })

  it('gives nothing for a bare word, a dotted path, an expression or a lone backtick pair', () => {
    expect(unquoteIdentifier('dt')).toBeUndefined()
    expect(unquoteIdentifier('`db`.`t`')).toBeUndefined()
    expect(unquoteIdentifier('date_trunc(`dt`)')).toBeUndefined()
    expect(unquoteIdentifier('``')).toBeUndefined()
    expect(unquoteIdentifier('`a`b`')).toBeUndefined()
  })
})

describe('queryBody', () => {
  it('drops surrounding white space and trailing terminators, as the AS clause takes them', () => {
    expect(queryBody('  SELECT 1 ;\n')).toBe('SELECT 1')
    expect(queryBody('SELECT 1;; ;\t\u00a0')).toBe('SELECT 1')
    expect(queryBody("SELECT ';' AS s")).toBe("SELECT ';' AS s")
    expect(queryBody(' ;; ')).toBe('')
    expect(queryBody('')).toBe('')
  })

  it('agrees with trimming and stripping [\\s;]+ at the end, on any text', () => {
    const piece = fc.constantFrom(' ', ';', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '\u3000', 'a', 'SELECT 1', '`x`', "';'")
    const text = fc.oneof(fc.string(), fc.array(piece, { maxLength: 12 }).map((p) => p.join('')))
    fc.assert(fc.property(text, (q) => queryBody(q) === q.trim().replace(/[\s;]+$/, '')))
  })
})
