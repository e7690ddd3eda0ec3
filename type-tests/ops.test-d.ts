/** The op factories and the migration recorder: typed like the builders they take. */
import { expectAssignable, expectError, expectType } from 'tsd'
import { alter, defineMigration, mv, op, sql, toStatements, type Op, type OpRecorder } from '../dist/index.js'

const complete = mv('daily').schema('analytics').refresh.manual().as(sql`SELECT 1`)
const incomplete = mv('daily').schema('analytics').refresh.manual()

// An op from a complete MV compiles and has its exact kind.
expectType<'createMaterializedView'>(op.createMaterializedView(complete).kind)
expectType<'dropMaterializedView'>(op.dropMaterializedView(complete, { ifExists: true }).kind)
expectType<'alterMaterializedView'>(op.alterMaterializedView(alter(complete).refresh.async({ every: '1 HOUR' })).kind)
expectType<'refreshMaterializedView'>(op.refreshMaterializedView('analytics.daily', { wait: true }).kind)
expectType<string[]>(toStatements([op.execute(sql`SELECT ${1}`)], { version: '4.1' }))

// An MV without .as(...) is not a complete MV.
expectError(op.createMaterializedView(incomplete))
expectError(op.dropMaterializedView('analytics.daily', { definition: incomplete }))

// Illegal alters do not compile, so neither do ops built from them.
expectError(op.alterMaterializedView(alter(complete).comment('x')))
expectError(op.alterMaterializedView(alter(complete).set({ replication_num: 1 })))
// Options are checked.
expectError(op.refreshMaterializedView('x', { wait: 'yes' }))
expectError(op.dropMaterializedView('x', { cascade: true }))
expectError(op.execute({ text: 'SELECT 1' }))

// The recorder's methods are typed like the factories.
defineMigration({
  up(recorder) {
    expectType<OpRecorder>(recorder)
    expectType<'createMaterializedView'>(recorder.createMaterializedView(complete).kind)
    expectError(recorder.createMaterializedView(incomplete))
    expectError(recorder.alterMaterializedView(alter(complete).partitionBy('x')))
  },
  down(recorder) {
    expectAssignable<Op>(recorder.dropMaterializedView(complete))
  },
})
expectError(defineMigration({ up() {} }))
