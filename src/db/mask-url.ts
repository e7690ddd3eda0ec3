const MASK = '***'
const SECRET_PARAMS = /^(password|passwd|pwd|pass|secret|token)$/i

/**
 * A URL with its password (and any `password=`-like query parameter) replaced by `***`, safe to
 * print and log. Text that is not a URL has any `scheme://user:password@` part masked.
 *
 * @example
 * ```ts
 * maskUrl('starrocks://admin:s3cret@sr.example.com:9030/shop') // 'starrocks://admin:***@sr.example.com:9030/shop'
 * ```
 */
export const maskUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = MASK
    for (const key of [...u.searchParams.keys()]) {
      if (SECRET_PARAMS.test(key)) u.searchParams.set(key, MASK)
    }
    // URL percent-encodes the mask; show it plainly
    return u.toString().replaceAll('%2A%2A%2A', MASK)
  } catch {
    return maskSecretsInText(url)
  }
}

/** Mask `scheme://user:password@` and `password=...` wherever they appear in free text. */
export const maskSecretsInText = (text: string): string =>
  text
    // a scheme is short and starts a word: bounded, so a long run of letters costs linear time
    .replace(/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]*:)[^\s@/]*@/gi, `$1${MASK}@`)
    .replace(/\b(password|passwd|pwd)=([^&\s]+)/gi, `$1=${MASK}`)

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
