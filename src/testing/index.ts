/**
 * `starrocks-mv/testing`: a StarRocks emulator over the MySQL protocol, for tests that need a
 * server. See README.md in this folder for what it emulates and what it does not.
 */
export { startEmulator } from './emulator.js'
export type { Emulator, EmulatorOptions, Fault, FaultTarget, ReceivedStatement } from './emulator.js'
