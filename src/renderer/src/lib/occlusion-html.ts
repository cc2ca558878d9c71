// An ```occlusion fence (shared/occlusion.ts) as HTML: the image, and its mask laid over it by
// the stylesheet (Markdown.svelte). The output goes through DOMPurify with the rest of the card.
import { parseOcclusionFence } from '../../../shared/occlusion'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

/** The block drawn, or why it cannot be (the caller then shows the block's text with the reason). */
export function renderOcclusionFence(body: string): { html: string } | { error: string } {
  const parsed = parseOcclusionFence(body)
  if (!parsed.ok) return { error: parsed.error }
  const { image, mask } = parsed.fence
  return {
    html:
      `<div class="occlusion" role="img" aria-label="Image with regions covered">` +
      `<img class="occlusion-image" src="${escape(image)}" alt="">` +
      `<img class="occlusion-mask" src="${escape(mask)}" alt="">` +
      `</div>`
  }
}
