import { describe, expect, it } from 'vitest'
import { isStarRocksMvError } from '../../src/errors.js'
import { atLeast, compareVersions, parseVersion } from '../../src/model/index.js'

describe('parseVersion', () => {
  it('reads released, configured and main builds', () => {
    expect(parseVersion('3.5.17')).toEqual({ major: 3, minor: 5, patch: 17, text: '3.5.17' })
    expect(parseVersion(' 4.1 ')).toEqual({ major: 4, minor: 1, patch: 0, text: '4.1' })
    expect(parseVersion('v26.2.0-ee')).toEqual({ major: 26, minor: 2, patch: 0, text: 'v26.2.0-ee' })
    expect(parseVersion('main-d4df1c9').major).toBeGreaterThan(100)
  })

  it('gives the same frozen version for the same text, and refuses a bad one every time', () => {
    const a = parseVersion('3.1.4')
    expect(parseVersion('3.1.4')).toBe(a)
    expect(Object.isFrozen(a)).toBe(true)
    for (let i = 0; i < 2; i++) {
      let error: unknown
      try {
        parseVersion('three')
      } catch (e) {
        error = e
      }
      expect(isStarRocksMvError(error, 'INVALID_VERSION')).toBe(true)
    }
  })

  it('keeps reading new texts correctly past its cache bound', () => {
    for (let i = 0; i < 3000; i++) expect(parseVersion(`3.${i}`).minor).toBe(i)
    expect(parseVersion('3.5')).toEqual({ major: 3, minor: 5, patch: 0, text: '3.5' })
  })
})

describe('compareVersions / atLeast', () => {
  it('orders by major, minor, patch', () => {
    expect(compareVersions('3.5', '3.10')).toBeLessThan(0)
    expect(compareVersions('4.0.1', '4.0')).toBeGreaterThan(0)
    expect(atLeast('3.1.4', '3.1.4')).toBe(true)
    expect(atLeast('3.1.3', '3.1.4')).toBe(false)
    expect(atLeast('main-abc', '26.2')).toBe(true)
  })
})
