// Markdown for untrusted content: markdown-it with raw HTML off, highlight.js for code, and
// DOMPurify over the result. Links may only be http(s) or in-page anchors; images may only
// come from the app itself. Every card, note, quiz item and drill text goes through here.
import DOMPurify from 'dompurify'
import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import c from 'highlight.js/lib/languages/c'
import diff from 'highlight.js/lib/languages/diff'
import dns from 'highlight.js/lib/languages/dns'
import go from 'highlight.js/lib/languages/go'
import http from 'highlight.js/lib/languages/http'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import python from 'highlight.js/lib/languages/python'
import rust from 'highlight.js/lib/languages/rust'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'
import MarkdownIt from 'markdown-it'
import { renderCloze } from '../../../shared/cloze'
import { MEDIA_PATH } from '../../../shared/media'
import { OCCLUSION_FENCE_INFO } from '../../../shared/occlusion'
import { findTraceFences, parseTraceCard, TRACE_FENCE_INFO } from '../../../shared/trace-card'
import { noIntrawordStarEmphasis } from './markdown-emphasis'
import { mathPlaceholders } from './markdown-math'
import { renderOcclusionFence } from './occlusion-html'
import { lastUsedCache } from './render-cache'
import { renderTraceFence, type TraceSide } from './trace-card-html'

for (const [name, language] of Object.entries({
  bash,
  c,
  diff,
  dns,
  go,
  http,
  javascript,
  json,
  python,
  rust,
  typescript,
  xml,
  yaml
})) {
  hljs.registerLanguage(name, language)
}
hljs.registerAliases(['ts'], { languageName: 'typescript' })
hljs.registerAliases(['js'], { languageName: 'javascript' })
hljs.registerAliases(['sh', 'shell', 'console'], { languageName: 'bash' })

const md: InstanceType<typeof MarkdownIt> = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight(code, lang): string {
    const language = lang && hljs.getLanguage(lang) ? lang : null
    // Plain fences (ASCII diagrams, captures) stay exactly as written, in monospace.
    const body = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : md.utils.escapeHtml(code)
    return `<pre class="code"><code class="hljs${language ? ` language-${language}` : ''}">${body}</code></pre>`
  }
})

noIntrawordStarEmphasis(md)
mathPlaceholders(md)

// A ```trace fence is a trace card's diagram (lib/trace-card-html.ts); the side comes in `env`.
// An ```occlusion fence is an image with a mask over it (lib/occlusion-html.ts).
const plainFence = md.renderer.rules.fence!
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!
  const info = token.info.trim()
  if (info === OCCLUSION_FENCE_INFO) {
    const drawn = renderOcclusionFence(token.content)
    if ('html' in drawn) return drawn.html
    const reason = md.utils.escapeHtml(drawn.error)
    return `<p class="occlusion-error" role="note">This occlusion block cannot be shown: ${reason}</p>${plainFence(tokens, idx, options, env, self)}`
  }
  if (info !== TRACE_FENCE_INFO) return plainFence(tokens, idx, options, env, self)
  const drawn = renderTraceFence(token.content, (env as { traceSide?: TraceSide } | undefined)?.traceSide ?? 'back')
  // A block that cannot be drawn says why and still shows its text, as any code block would.
  return parseTraceCard(token.content).ok ? drawn : drawn + plainFence(tokens, idx, options, env, self)
}

// Only http(s) links leave the page; everything else (javascript:, data:, file:, vbscript:)
// is dropped by markdown-it's validateLink and again by DOMPurify below. Imported images are
// the one same-origin path allowed: /media/<sha256>.<ext>, served by both doors.
md.validateLink = (url: string) => /^(https?:\/\/|#)/i.test(url.trim()) || MEDIA_PATH.test(url.trim())

const SAFE_URI = /^(?:https?:\/\/|#)/i

let hooked = false
function purify(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href') ?? ''
        if (!SAFE_URI.test(href)) node.removeAttribute('href')
        else if (!href.startsWith('#')) {
          node.setAttribute('target', '_blank')
          node.setAttribute('rel', 'noopener noreferrer')
        }
      }
      if (node.tagName === 'IMG') {
        // Remote images would leak that a card was viewed; only the app's own assets load.
        const src = node.getAttribute('src') ?? ''
        if (!/^\/(?![/\\])/.test(src)) node.removeAttribute('src')
      }
    })
    hooked = true
  }
  return DOMPurify.sanitize(html, {
    ALLOWED_URI_REGEXP: /^(?:https?:|#|\/(?![/\\]))/i,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target']
  })
}

/** Markdown as safe HTML; trace diagrams show their `traceSide` (the answer unless told). */
export function renderMarkdown(text: string, traceSide: TraceSide = 'back'): string {
  return purify(md.render(text, { traceSide }))
}

export function renderInline(text: string): string {
  return purify(md.renderInline(text))
}

type CardSides = { kind: string; clozeOrdinal: number | null; front: string; back: string }

/**
 * One side of a card as HTML, kept by content (the last 32): Review renders a card's answer while
 * its question is read (`prepareCardSide`), so Show answer only inserts it (markdown-it,
 * highlight.js and DOMPurify were most of that key's script time).
 */
export const keptCardSide: (card: CardSides, side: 'front' | 'back') => string = lastUsedCache(
  32,
  (card: CardSides, side: 'front' | 'back') =>
    JSON.stringify([side, card.kind, card.clozeOrdinal, card.front, card.back]),
  renderCardSide
)

/** Renders a side ahead, when the page is idle, so that showing it later costs no rendering. */
export function prepareCardSide(card: CardSides, side: 'front' | 'back'): void {
  const later = (work: () => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(work, { timeout: 500 }) : setTimeout(work, 50)
  later(() => void keptCardSide(card, side))
}

/** One side of a card as HTML: cloze cards hide or show their own deletion. */
export function renderCardSide(card: CardSides, side: 'front' | 'back'): string {
  if (card.kind === 'cloze') {
    const text = renderCloze(card.front, card.clozeOrdinal ?? 1, side)
    return renderMarkdown(side === 'back' && card.back ? `${text}\n\n---\n\n${card.back}` : text)
  }
  if (side === 'front') return renderMarkdown(card.front, 'front')
  // A trace card's answer: the front's diagrams unmasked, then the back's text.
  const traces = findTraceFences(card.front)
    .filter((fence) => parseTraceCard(fence.json).ok)
    .map((fence) => renderTraceFence(fence.json, 'back'))
  return purify(traces.join('')) + renderMarkdown(card.back)
}
