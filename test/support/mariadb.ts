import { createConnection } from 'mysql2/promise'

/** The MariaDB server of this machine (CI starts it). */
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const
export const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test'

/**
 * Whether MariaDB answers. In CI (CI=true) an absent server is a failure, not a skip: the
 * tests must run there. Elsewhere the tests that need it skip with a message.
 */
export const mariadbAvailable = async (): Promise<boolean> => {
  try {
    const c = await createConnection({ ...MARIADB, connectTimeout: 2000 })
    await c.end()
    return true
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`MariaDB is required in CI but does not answer on 127.0.0.1:3306: ${String(e)}`)
    console.warn('MariaDB does not answer on 127.0.0.1:3306: skipping the tests that need a real MySQL-protocol server.')
    return false
  }
}
