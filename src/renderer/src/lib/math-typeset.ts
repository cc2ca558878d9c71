// Typesets the formulas markdown.ts marked (`.math-inline`, `.math-display`, holding TeX as
// text) with KaTeX. Loaded on demand by Markdown.svelte, only when a formula is shown, so the
// first page carries no KaTeX. KaTeX's stylesheet and fonts are bundled and served by the app.
//
// The CSP's style-src 'self' refuses style attributes (style-src-attr), but allows styles set
// through the CSSOM. KaTeX builds most nodes with element.style already; a few (SVG overlays
// of stretchy arrows, \fcolorbox and \pmb in MathML, the red error span) carry a `style`
// attribute instead, so before the tree becomes DOM those move to element.style.cssText.
import katex from 'katex'
import 'katex/dist/katex.min.css'
import { katexOptions, MAX_TEX_CHARS } from './katex-options'

const PENDING = '.math-inline:not([data-typeset]), .math-display:not([data-typeset])'

/** The parts of KaTeX's virtual DOM nodes (its __domTree classes) this module touches. */
interface VirtualNode {
  attributes?: Record<string, string>
  children?: VirtualNode[]
  toNode(): Node
}

/** KaTeX's build step without the DOM step (exported by katex, not in its type declarations). */
const renderToDomTree = (katex as unknown as { __renderToDomTree(tex: string, options: object): VirtualNode })
  .__renderToDomTree

function moveStyleAttributes(node: VirtualNode): void {
  const css = node.attributes?.style
  if (node.attributes && css !== undefined) {
    delete node.attributes.style
    const build = node.toNode.bind(node)
    node.toNode = () => {
      const element = build() as HTMLElement
      element.style.cssText = css
      return element
    }
  }
  for (const child of node.children ?? []) moveStyleAttributes(child)
}

export function typesetMath(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(PENDING)) {
    const tex = el.textContent ?? ''
    el.dataset.typeset = ''
    if (tex.length > MAX_TEX_CHARS) continue
    try {
      const tree = renderToDomTree(tex, katexOptions(el.classList.contains('math-display')))
      moveStyleAttributes(tree)
      el.replaceChildren(tree.toNode())
    } catch {
      // Not a parse error (those render in place, in red): keep the TeX as written.
      el.textContent = tex
    }
  }
}
