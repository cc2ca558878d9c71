// How formulas are typeset (math-typeset.ts); kept apart so a plain-Node test can check them.
// `trust: false` refuses \href, \url, \includegraphics and \htmlClass/\htmlData/\htmlStyle, so
// a formula makes no link, loads nothing and sets no class, attribute or style of its own.
import type { KatexOptions } from 'katex'

/** Longer TeX is shown as written, not typeset. */
export const MAX_TEX_CHARS = 5000

export function katexOptions(displayMode: boolean): KatexOptions {
  return {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    // Macro expansions one formula may take (KaTeX's guard against `\def\a{\a\a}\a`).
    maxExpand: 1000,
    // Largest size a formula may ask for, in em.
    maxSize: 20,
    // MathML beside the visual HTML, for screen readers.
    output: 'htmlAndMathml'
  }
}
