// Reading the chosen file in the page: FileReader, whose progress events show a large file being
// read (the session module stays free of DOM APIs, so its tests run under Node).
import type { ReadFile } from './import-session.svelte'
import { dataUrlPayload } from './lib'

export const readWithFileReader: ReadFile = (file, progress) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onprogress = (e) => progress(e.lengthComputable ? e.loaded / e.total : null)
    reader.onerror = () => reject(new Error(`could not read ${file.name}`))
    reader.onload = () => resolve(dataUrlPayload(String(reader.result)))
    reader.readAsDataURL(file)
  })
