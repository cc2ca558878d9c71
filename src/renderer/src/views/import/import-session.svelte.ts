// The Import page's state: the chosen file (read once, showing how far), its preview and the
// CSV/TSV column mapping chosen there, the import, and the busy and error state of those calls
// (one Request). ImportView.svelte only renders it.
import type { Api } from '../../../../shared/api'
import type { ColumnRole, ImportPreviewItem, ImportSummary } from '../../../../shared/imports'
import { Request } from '../../lib/request.svelte'
import { countByAction, mappingProblem, MAX_IMPORT_BYTES, sizeLabel, tableChoices } from './lib'

export type ImportApi = Pick<Api, 'previewImport' | 'runImport'>

/** Reads a file as base64, telling how far it got (0 to 1; null while the size is unknown). */
export type ReadFile = (file: File, progress: (fraction: number | null) => void) => Promise<string>

export class ImportSession {
  readonly request = new Request()
  file = $state<File | null>(null)
  /** The deck to import into; empty: the file's own. */
  deck = $state('')
  /** How far reading the file got (0 to 1), or null. */
  readFraction = $state<number | null>(null)
  preview = $state<(ImportSummary & { items: ImportPreviewItem[] }) | null>(null)
  done = $state<ImportSummary | null>(null)
  /** The CSV/TSV column mapping: null until a preview shows the file's columns. */
  columns = $state<ColumnRole[] | null>(null)
  header = $state<boolean | null>(null)
  /** The mapping changed since the preview was made: preview again before importing. */
  mappingChanged = $state(false)

  /** A file over the size limit, said when it is chosen; it is not sent. */
  #tooLarge = $state<Error | null>(null)
  #kind = $state<'preview' | 'import'>('preview')
  /** The file's base64, read once per chosen file. */
  #payload: string | null = null

  /** Which call is under way. */
  readonly working = $derived(this.request.busy ? this.#kind : null)
  readonly error = $derived(this.#tooLarge ?? this.request.error)
  readonly counts = $derived(this.preview ? countByAction(this.preview.items) : null)
  readonly problem = $derived(this.columns ? mappingProblem(this.columns) : null)
  readonly canPreview = $derived(this.file !== null && this.#tooLarge === null && this.working === null)
  /** What is imported must be what was previewed: not after the mapping changed. */
  readonly canImport = $derived(
    this.preview !== null && this.working === null && !this.mappingChanged && this.problem === null
  )
  readonly canUpdatePreview = $derived(this.mappingChanged && this.working === null && this.problem === null)

  constructor(
    private readonly api: ImportApi,
    /** The page passes read-file.ts's FileReader (a DOM API); tests read with Node. */
    private readonly read: ReadFile
  ) {}

  /** A file was chosen (or the choice cleared): everything about the last one goes. */
  choose(file: File | null): void {
    this.file = file
    this.#payload = null
    this.readFraction = null
    this.preview = null
    this.done = null
    this.columns = null
    this.header = null
    this.mappingChanged = false
    this.request.clear()
    this.#tooLarge =
      file && file.size > MAX_IMPORT_BYTES
        ? new Error(`${file.name} is ${sizeLabel(file.size)}; files over 50 MB are not imported.`)
        : null
  }

  setRole(index: number, role: ColumnRole): void {
    if (!this.columns) return
    this.columns[index] = role
    this.mappingChanged = true
  }

  setHeader(value: boolean): void {
    this.header = value
    this.mappingChanged = true
  }

  /** Preview (writes nothing; shows a table's columns to map) or import what was previewed. */
  async run(kind: 'preview' | 'import'): Promise<void> {
    const file = this.file
    if (!file || this.#tooLarge) return
    this.#kind = kind
    await this.request.run(async () => {
      const input = {
        fileName: file.name,
        dataBase64: await this.#readOnce(file),
        ...(this.deck.trim() ? { deck: this.deck.trim() } : {}),
        // A plain copy: the Electron bridge clones its input, which a state proxy cannot be.
        ...tableChoices($state.snapshot(this.columns), this.header)
      }
      if (kind === 'preview') {
        const preview = await this.api.previewImport(input)
        this.preview = preview
        this.columns = preview.table ? [...preview.table.columns] : null
        this.header = preview.table ? preview.table.header : null
        this.mappingChanged = false
      } else {
        this.done = await this.api.runImport(input)
        this.preview = null
      }
    })
  }

  async #readOnce(file: File): Promise<string> {
    if (this.#payload) return this.#payload
    const payload = await this.read(file, (fraction) => (this.readFraction = fraction))
    this.readFraction = 1
    this.#payload = payload
    return payload
  }
}
