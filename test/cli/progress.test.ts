import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WaitIndicator } from '../../src/cli/progress.js'

const stream = (isTTY: boolean): { writes: string[]; write(t: string): void; isTTY: boolean } => {
  const writes: string[] = []
  return { writes, isTTY, write: (t: string) => void writes.push(t) }
}

describe('WaitIndicator', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('not a terminal: the first line at once, then one line per change of state, nothing in between', () => {
    const s = stream(false)
    const w = new WaitIndicator({ stream: s, label: 'waiting for the lock held by a', now: () => Date.now() })
    expect(s.writes).toEqual(['waiting for the lock held by a\n'])
    vi.advanceTimersByTime(10_000)
    w.update('now held by b')
    w.update('now held by b')
    vi.advanceTimersByTime(10_000)
    w.stop()
    w.update('now held by c')
    expect(s.writes).toEqual(['waiting for the lock held by a\n', 'waiting for the lock held by a: now held by b (10s)\n'])
  })

  it('a terminal: a live line at once, redrawn every second with the time waited, cleared at the end', () => {
    const s = stream(true)
    const w = new WaitIndicator({ stream: s, label: 'waiting for the refresh of m', state: 'PENDING', now: () => Date.now(), mask: (t) => t.replace('secret', '***') })
    expect(s.writes).toEqual(['\r\x1b[2K| waiting for the refresh of m: PENDING (0s)'])
    vi.advanceTimersByTime(3000)
    expect(s.writes).toHaveLength(4)
    expect(s.writes.at(-1)).toBe('\r\x1b[2K\\ waiting for the refresh of m: PENDING (3s)')
    w.update('RUNNING secret')
    expect(s.writes.at(-1)).toBe('\r\x1b[2K| waiting for the refresh of m: RUNNING *** (3s)')
    w.stop()
    expect(s.writes.at(-1)).toBe('\r\x1b[2K')
    const count = s.writes.length
    vi.advanceTimersByTime(5000)
    expect(s.writes).toHaveLength(count)
  })
})
