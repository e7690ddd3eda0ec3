import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { DbError, isDbError, maskSecretsInText, maskUrl, parseServerUrl } from '../../src/db/index.js'
import { StarRocksMvError } from '../../src/errors.js'

describe('maskUrl', () => {
  test('masks the password and secret parameters, keeps the rest', () => {
    expect(maskUrl('starrocks://admin:s3cret@sr.example.com:9030/shop')).toBe('starrocks://admin:***@sr.example.com:9030/shop')
    expect(maskUrl('mysql://u:p%40ss@h/db?ssl=true&password=x')).toBe('mysql://u:***@h/db?ssl=true&password=***')
    expect(maskUrl('starrocks://root@h:9030')).toBe('starrocks://root@h:9030')
  })

  test('text that is not a URL still has its credentials masked', () => {
    expect(maskUrl('connecting to starrocks://a:hunter2@h:9030 failed')).toBe('connecting to starrocks://a:***@h:9030 failed')
    expect(maskUrl('not a url password=hunter2')).toBe('not a url password=***')
  })

  test.each([
    ['an unencoded / in the password', 'starrocks://u:pa/ss9z@host:9030/db', 'pa/ss9z'],
    ['an unencoded ? in the password', 'starrocks://u:pa?ss9z@host:9030/db', 'pa?ss9z'],
    ['an unencoded # in the password', 'starrocks://u:pa#ss9z@host:9030/db', 'pa#ss9z'],
    ['no scheme', 'u:secret9z@host:9030/db', 'secret9z'],
    ['no scheme and an unencoded /', 'u:sec/ret9z@host:9030/db', 'ret9z'],
    ['a value cut at # by .env', 'starrocks://u:pa9z', 'pa9z'],
    ['a value cut at # after a /', 'starrocks://u:pa/9z', '9z'],
  ])('credentials are masked when the URL does not parse: %s', (_, url, secret) => {
    const masked = maskUrl(url)
    expect(masked).not.toContain(secret)
    expect(masked).toContain('u:***')
    expect(maskSecretsInText(`connecting to ${url} failed`)).not.toContain(secret)
  })

  test('a URL value with a space in its password is masked as one value', () => {
    expect(maskUrl('starrocks://u:pa 9z@host:9030/db')).toBe('starrocks://u:***@host:9030/db')
  })

  test('what is not a credential stays readable', () => {
    expect(maskUrl('starrocks://host:9030/db')).toBe('starrocks://host:9030/db')
    expect(maskUrl('starrocks://root@host:9030/db')).toBe('starrocks://root@host:9030/db')
    expect(maskUrl('host:9030')).toBe('host:9030')
    expect(maskSecretsInText("Access denied for user 'u'@'10.0.0.1' (using password: YES)")).toBe("Access denied for user 'u'@'10.0.0.1' (using password: YES)")
  })
})

describe('parseServerUrl', () => {
  test('defaults the port by scheme and decodes user, password and database', () => {
    expect(parseServerUrl('starrocks://u:p%40ss%3Aw@db.example.com/my%20db')).toEqual({
      protocol: 'starrocks:', host: 'db.example.com', port: 9030, user: 'u', password: 'p@ss:w', database: 'my db',
    })
    expect(parseServerUrl('mysql://root@[::1]')).toMatchObject({ host: '::1', port: 3306, user: 'root', password: '' })
  })

  test('TLS and timeout parameters', () => {
    expect(parseServerUrl('starrocks://u@h:9031/d?ssl=true&connectTimeout=500&queryTimeout=60000')).toMatchObject({
      port: 9031, ssl: true, connectTimeoutMs: 500, queryTimeoutMs: 60000,
    })
    expect(parseServerUrl('starrocks://u@h?ssl=skip-verify').ssl).toEqual({ rejectUnauthorized: false })
    expect(parseServerUrl('starrocks://u@h?ssl=false').ssl).toBe(false)
  })

  test.each([
    ['postgres://u:secretpw@h/db', 'the scheme must be starrocks:// or mysql://'],
    ['starrocks://u:secretpw@h/db?sslmode=on', 'unknown parameter "sslmode"'],
    ['starrocks://u:secretpw@h/db?queryTimeout=soon', 'queryTimeout must be a positive whole number'],
    ['starrocks://u:secretpw@h/db?ssl=maybe', 'ssl must be true, false or skip-verify'],
    ['starrocks://u:secretpw@h/a/b', 'the path must be a single database name'],
    ['nonsense', 'it is not a URL'],
  ])('%s is refused with a reason and never shows the password', (url, why) => {
    try {
      parseServerUrl(url)
      expect.unreachable()
    } catch (e) {
      expect(isDbError(e, 'INVALID_URL')).toBe(true)
      expect((e as Error).message).toContain(why)
      expect((e as Error).message).not.toContain('secretpw')
    }
  })

  test.each([
    ['starrocks://u:secret/pw@h:9030/db', 'secret/pw'],
    ['u:secretpw@h:9030/db', 'secretpw'],
    ['starrocks://u:secretpw', 'secretpw'],
    ['starrocks://u:se#cretpw@h:9030/db', 'cretpw'],
  ])('%s: the refusal says how to percent-encode and to quote a .env value, never the password', (url, secret) => {
    try {
      parseServerUrl(url)
      expect.unreachable()
    } catch (e) {
      expect(isDbError(e, 'INVALID_URL')).toBe(true)
      const message = (e as Error).message
      expect(message).not.toContain(secret)
      expect(JSON.stringify((e as DbError).details)).not.toContain(secret)
      for (const hint of ['/ → %2F', '# → %23', '@ → %40', '.env']) expect(message).toContain(hint)
    }
  })
})

describe('DbError', () => {
  test('is a StarRocksMvError carrying the server facts', () => {
    const e = new DbError('SQL_ERROR', 'm', { errno: 1064, sqlState: '42000', serverMessage: 'bad', statement: 'SELEC 1' })
    expect(e).toBeInstanceOf(StarRocksMvError)
    expect(e).toMatchObject({ code: 'SQL_ERROR', errno: 1064, sqlState: '42000', serverMessage: 'bad', outcomeUnknown: false, name: 'DbError' })
    expect(e.details).toEqual({ errno: 1064, sqlState: '42000', serverMessage: 'bad', statement: 'SELEC 1' })
  })
})

describe('maskSecretsInText, word by word', () => {
  test('masks each whitespace-delimited word on its own, as if the words were masked one by one', () => {
    const pieces = fc.constantFrom(' ', '\n', '\t', 'a', ':', '@', '//', 'x://', 'u:p@h', 'sr://u:pw@h:9030/db', 'password=1', '#', '/', 'é')
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join('')
        const wordByWord = text.split(/(\s+)/).map((w) => (/^\s*$/.test(w) ? w : maskSecretsInText(w))).join('')
        expect(maskSecretsInText(text)).toBe(wordByWord)
        expect(maskSecretsInText(text)).not.toContain(':pw@')
      }),
    )
  })

  test('leaves text without URLs, `@` or password parameters as it is', () => {
    const text = 'CREATE MATERIALIZED VIEW `a`.`b` AS SELECT 1;\n'.repeat(1000)
    expect(maskSecretsInText(text)).toBe(text)
  })
})
