// The busy and error state of a page's calls to the api, in one place. `run` marks the page
// busy while the call is out, keeps a failure for ErrorNotice and answers undefined, so a page
// writes `const decks = await request.run(() => api.listDecks({}))` instead of its own try/catch.
export class Request {
  /** Calls under way (several may overlap: busy until the last one ends). */
  #pending = $state(0)
  /** The last failure, until the next call starts or clear(). */
  error = $state<unknown>(null)
  readonly busy = $derived(this.#pending > 0)

  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.#pending++
    this.error = null
    try {
      return await work()
    } catch (error) {
      this.error = error
      return undefined
    } finally {
      this.#pending--
    }
  }

  /** The failure's message, for text beside a control rather than a notice. */
  get message(): string | null {
    return this.error === null ? null : this.error instanceof Error ? this.error.message : String(this.error)
  }

  clear(): void {
    this.error = null
  }
}
