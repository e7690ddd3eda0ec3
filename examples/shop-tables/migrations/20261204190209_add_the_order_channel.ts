/**
 * add the order channel
 *
 * Leads to the state in 20261204190209_add_the_order_channel.snapshot.json.
 */
import { defineMigration } from 'starrocks-mv'

export default defineMigration({
  up(op) {
    op.alterTable('store.orders', [{ kind: 'addColumn', column: { name: 'channel', type: 'VARCHAR(20)', nullable: true, comment: 'web or store' }, after: 'status' }])
  },
  down(op) {
    op.alterTable('store.orders', [{ kind: 'dropColumn', name: 'channel', previous: { column: { name: 'channel', type: 'VARCHAR(20)', nullable: true, comment: 'web or store' }, after: 'status' } }])
  },
})
