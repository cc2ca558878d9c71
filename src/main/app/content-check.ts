// checkContent needs no collection: the CLI's `check` calls it through a dispatch over this
// handler alone, and the collection's handler table includes the same one.
import type { Handlers } from '../../shared/api'
import { NotFoundError } from '../../shared/errors'
import { checkContentDir } from '../content/check'

export function contentCheckHandlers(contentDir: string | null): Pick<Handlers, 'checkContent'> {
  return {
    checkContent: ({ dir }) => {
      const folder = dir ?? contentDir
      if (!folder) throw new NotFoundError('content folder', '(none given, and no shipped library found)')
      return checkContentDir(folder)
    }
  }
}
