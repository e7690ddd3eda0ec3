import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { MvDefinition } from '../../src/model/index.js'
import { openProject } from '../../src/migrate/project.js'
import { sourceLoader, tempDir } from './helpers.js'

const schema = `import { mv, sql, table } from 'starrocks-mv'
const orders = table('orders', { id: 'BIGINT', dt: 'DATE' }, { schema: 'shop' })
export const same = mv('same').schema('shop').refresh.manual().as(sql\`SELECT \${orders.dt} FROM \${orders}\`)
export const changed = mv('changed').schema('shop').refresh.manual().as(sql\`SELECT \${orders.id} FROM \${orders}\`)
export const renamed = mv('renamed').schema('shop').renamedFrom('old_name').refresh.manual().as(sql\`SELECT 1\`)
`

describe('the desired state reuses equal definitions', () => {
  it('gives an MV equal to a known definition that definition, and keeps its own otherwise', async () => {
    const dir = tempDir('reuse')
    writeFileSync(join(dir, 'srmv.config.ts'), `export default { schema: './schema.ts', migrations: './migrations' }\n`)
    writeFileSync(join(dir, 'schema.ts'), schema)
    const project = await openProject({ cwd: dir, load: await sourceLoader() })

    const own = (await project.desiredModule()).state
    // what a snapshot of the same module reads back: equal data, other objects
    const known = parseState(serializeState(snapshot(own.mvs))).mvs
    const byName = (mvs: readonly MvDefinition[], name: string) => mvs.find((d) => d.name === name) as MvDefinition
    const edited = known.map((d) => (d.name === 'changed' ? MvDefinition.with(d, { comment: 'not the module' }) : d))

    let asked = 0
    const reused = (await project.desiredModule({ reuse: () => (asked++, edited) })).state
    expect(asked).toBe(1)
    expect(byName(reused.mvs, 'same')).toBe(byName(edited, 'same'))
    // different data, or an intent the known one lacks: the module's own definition
    expect(byName(reused.mvs, 'changed')).not.toBe(byName(edited, 'changed'))
    expect(byName(reused.mvs, 'changed')).toEqual(byName(own.mvs, 'changed'))
    expect(byName(reused.mvs, 'renamed').renamedFrom).toBe('old_name')
    expect(byName(reused.mvs, 'renamed')).not.toBe(byName(edited, 'renamed'))
    // the state holds the same data either way
    expect(reused).toEqual(own)
    expect((await project.desiredModule({ reuse: () => undefined })).state).toEqual(own)
  })
})
