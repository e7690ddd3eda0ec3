import { describe, expect, test } from 'vitest'
import { alter, mv } from '../../src/schema/index.js'

describe('RENAME and SWAP WITH take unqualified names, as the grammar does', () => {
  test('the target is one quoted name in the MV\'s database; a dot is part of the name', () => {
    expect(alter('shop.daily').rename('daily_v2').toStatements()).toEqual(['ALTER MATERIALIZED VIEW `shop`.`daily` RENAME `daily_v2`'])
    expect(alter('shop.daily').rename('other.daily').toStatements()).toEqual(['ALTER MATERIALIZED VIEW `shop`.`daily` RENAME `other.daily`'])
    expect(alter('shop.daily').swapWith('daily__srmv_new').toStatements({ version: '3.1' })).toEqual(['ALTER MATERIALIZED VIEW `shop`.`daily` SWAP WITH `daily__srmv_new`'])
  })

  test('an MV of another database cannot be swapped with', () => {
    const elsewhere = mv('daily').schema('other').refresh.manual().as('SELECT 1 AS one')
    expect(() => alter('shop.daily').swapWith(elsewhere)).toThrow(/other/)
  })
})
