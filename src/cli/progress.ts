/** A stream progress is written to: a terminal gets a live line, anything else plain lines. */
export interface ProgressStream {
  write(text: string): unknown
  readonly isTTY?: boolean
}

const FRAMES = ['|', '/', '-', '\\'] as const

/**
 * How a wait is shown: the first line at once; then, on a terminal, one line rewritten every
 * `redrawMs` (a spinner, the seconds waited and the latest state); elsewhere (CI logs, pipes), one
 * line per change of state and nothing in between.
 */
export class WaitIndicator {
  readonly #stream: ProgressStream
  readonly #label: string
  readonly #tty: boolean
  readonly #mask: (text: string) => string
  readonly #started: number
  readonly #now: () => number
  #state: string
  #frame = 0
  #timer: ReturnType<typeof setInterval> | undefined
  #stopped = false

  constructor(options: {
    readonly stream: ProgressStream
    /** What is waited for: `waiting for the lock held by ...`. */
    readonly label: string
    /** The state as first known (may be empty). */
    readonly state?: string
    readonly mask?: (text: string) => string
    readonly redrawMs?: number
    readonly now?: () => number
  }) {
    this.#stream = options.stream
    this.#label = options.label
    this.#tty = options.stream.isTTY === true
    this.#mask = options.mask ?? ((t) => t)
    this.#now = options.now ?? Date.now
    this.#started = this.#now()
    this.#state = options.state ?? ''
    if (this.#tty) {
      this.#draw()
      this.#timer = setInterval(() => this.#draw(), options.redrawMs ?? 1000)
      this.#timer.unref?.()
    } else {
      this.#line()
    }
  }

  #text(): string {
    return `${this.#label}${this.#state === '' ? '' : `: ${this.#state}`}`
  }

  #seconds(): number {
    return Math.round((this.#now() - this.#started) / 1000)
  }

  #draw(): void {
    if (this.#stopped) return
    const frame = FRAMES[this.#frame++ % FRAMES.length] as string
    this.#stream.write(`\r\x1b[2K${this.#mask(`${frame} ${this.#text()} (${this.#seconds()}s)`)}`)
  }

  #line(): void {
    const secs = this.#seconds()
    this.#stream.write(`${this.#mask(`${this.#text()}${secs === 0 ? '' : ` (${secs}s)`}`)}\n`)
  }

  /** A new state: redrawn on a terminal, a new line elsewhere when it differs from the last. */
  update(state: string): void {
    if (this.#stopped || state === this.#state) return
    this.#state = state
    if (this.#tty) this.#draw()
    else this.#line()
  }

  /** The wait is over: clear the live line (a terminal) and stop redrawing. Idempotent. */
  stop(): void {
    if (this.#stopped) return
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    if (this.#tty) this.#stream.write('\r\x1b[2K')
  }
}
