const MASK = '***'
const SECRET_PARAMS = /^(password|passwd|pwd|pass|secret|token)$/i
const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]{0,31}:\/\//i
/** A port after `host:`, up to where a URL's path, query or the surrounding text goes on. */
const PORT_LIKE = /^\d*(?:[/?#,;:.)'"\]]|$)/

/**
 * Mask the credentials of one URL-like value that need not parse: `[scheme://]user:password@rest`
 * (the password runs to the last `@`, so an unencoded `/`, `?`, `#`, `:` or `@` in it is masked
 * too), or `scheme://user:partial` (a value cut short, e.g. by an unquoted `#` in `.env`). Linear in
 * the length of `value`.
 */
const maskCredentials = (value: string, requireScheme: boolean): string => {
  const scheme = SCHEME_PREFIX.exec(value)?.[0] ?? ''
  if (scheme === '' && requireScheme) return value
  const rest = value.slice(scheme.length)
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    const colon = rest.slice(0, at).indexOf(':')
    return colon < 0 ? value : `${scheme}${rest.slice(0, colon + 1)}${MASK}${rest.slice(at)}`
  }
  const colon = rest.indexOf(':')
  if (colon < 0 || PORT_LIKE.test(rest.slice(colon + 1))) return value
  // `user:partial` with nothing after: a password cut short; keep trailing punctuation of the text around it
  const tail = /[.,;:)'"\]]*$/.exec(rest.slice(colon + 1))?.[0] ?? ''
  return `${scheme}${rest.slice(0, colon + 1)}${MASK}${tail}`
}

/**
 * A URL with its password (and any `password=`-like query parameter) replaced by `***`, safe to
 * print and log. A value that does not parse as a URL, or parses only by taking a password for
 * something else (no `scheme://`, an unencoded `/`, `?`, `#` or `@` in the password, a value cut
 * short at `#` by a `.env` file), has everything that looks like credentials masked:
 * `user:***@host...` or `scheme://user:***`. Free text has any `scheme://user:password@` masked.
 *
 * @example
 * ```ts
 * maskUrl('starrocks://admin:s3cret@sr.example.com:9030/shop') // 'starrocks://admin:***@sr.example.com:9030/shop'
 * maskUrl('starrocks://admin:s3/cret@sr.example.com:9030/shop') // 'starrocks://admin:***@sr.example.com:9030/shop'
 * maskUrl('admin:s3cret@sr.example.com:9030/shop') // 'admin:***@sr.example.com:9030/shop'
 * ```
 */
export const maskUrl = (url: string): string => {
  // one value that starts as a URL is masked as one, even with a space in its password
  if (/\s/.test(url)) return SCHEME_PREFIX.test(url) ? maskSecretsInText(maskCredentials(url, false)) : maskSecretsInText(url)
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return maskSecretsInText(maskCredentials(url, false))
  }
  // Parsed, but not as scheme://user:password@host: the credentials ended up in the path, query or fragment.
  if (!SCHEME_PREFIX.test(url) || u.hash !== '' || (url.includes('@') && u.username === '' && u.password === '')) {
    return maskSecretsInText(maskCredentials(url, false))
  }
  if (u.password !== '') u.password = MASK
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) u.searchParams.set(key, MASK)
  }
  // URL percent-encodes the mask; show it plainly
  return u.toString().replaceAll('%2A%2A%2A', MASK)
}

/**
 * Mask `[scheme://]user:password@` (the password running to the last `@` of the word, so unencoded
 * `/`, `?` and `#` in it are covered), `scheme://user:partial` (a URL cut short) and
 * `password=...` wherever they appear in free text. Linear in the length of `text`.
 */
export const maskSecretsInText = (text: string): string => {
  const masked = text.includes('://') || text.includes('@') ? maskWords(text) : text
  return /pass|pwd/i.test(masked) ? masked.replace(/\b(password|passwd|pwd)=([^&\s]+)/gi, `$1=${MASK}`) : masked
}

const WHITESPACE = /\s/

/** One whitespace-delimited word that holds `://` or `@`, masked on its own. */
const maskWord = (word: string): string => {
  const start = word.includes('://') ? word.search(/[a-z][a-z0-9+.-]{0,31}:\/\//i) : -1
  if (start >= 0) return word.slice(0, start) + maskCredentials(word.slice(start), true)
  // `user:password@host` without a scheme
  const at = word.lastIndexOf('@')
  return at > 0 && word.slice(0, at).includes(':') ? maskCredentials(word, false) : word
}

/**
 * Mask each word of `text` that holds `://` or `@`, leaving the rest untouched (a plan of thousands
 * of statements has few such words). Each character is looked at a bounded number of times.
 */
const maskWords = (text: string): string => {
  const marker = /:\/\/|@/g
  let out = ''
  let done = 0
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    let start = m.index
    while (start > done && !WHITESPACE.test(text[start - 1] as string)) start--
    let end = m.index + m[0].length
    while (end < text.length && !WHITESPACE.test(text[end] as string)) end++
    out += text.slice(done, start) + maskWord(text.slice(start, end))
    done = end
    marker.lastIndex = end
  }
  return out + text.slice(done)
}

/**
 * Mask a known password wherever it appears in `text` (server messages, statements), as well as
 * any URL credentials. Passwords shorter than 4 characters are only masked inside URLs, so that
 * masking does not garble ordinary words.
 */
export const maskPassword = (text: string, password: string | undefined): string => {
  let out = maskSecretsInText(text)
  if (password !== undefined && password.length >= 4) out = out.split(password).join(MASK)
  if (password !== undefined && password.length > 0) {
    const encoded = encodeURIComponent(password)
    if (encoded !== password && encoded.length >= 4) out = out.split(encoded).join(MASK)
  }
  return out
}
