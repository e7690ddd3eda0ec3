/**
 * The shop example with managed tables: its `orders` and `users` base tables are declared in the
 * schema module with their DDL, and planned with the three MVs that read them.
 * `srmv --cwd examples/shop-tables up --sql` prints the SQL with no server; point STARROCKS_URL at a
 * server (or at `srmv-emulator`) to apply it.
 */
import { defineConfig } from 'starrocks-mv'

export default defineConfig({
  schema: './schema.ts',
  migrations: './migrations',
  version: '3.5',
  historyProperties: { replication_num: '1' },
})
