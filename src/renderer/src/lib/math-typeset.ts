// Typesets the formulas markdown.ts marked (`.math-inline`, `.math-display`, holding TeX as
// text) with KaTeX. Loaded on demand by Markdown.svelte, only when a formula is shown, so the
// first page carries no KaTeX. KaTeX builds the formula with DOM calls (its styles are set
// through element.style, which the CSP's style-src 'self' allows, where style attributes in
// parsed HTML would be refused); its stylesheet and fonts are bundled and served by the app.
import katex from 'katex'
import 'katex/dist/katex.min.css'
import { katexOptions, MAX_TEX_CHARS } from './katex-options'

const PENDING = '.math-inline:not([data-typeset]), .math-display:not([data-typeset])'

export function typesetMath(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(PENDING)) {
    const tex = el.textContent ?? ''
    el.dataset.typeset = ''
    if (tex.length > MAX_TEX_CHARS) continue
    try {
      katex.render(tex, el, katexOptions(el.classList.contains('math-display')))
    } catch {
      // Not a parse error (those render in place, in red): keep the TeX as written.
      el.textContent = tex
    }
  }
}
