// Image occlusion: a picture with parts of it covered, as Anki's Image Occlusion cards and
// the Image Occlusion Enhanced add-on make them. A card side holds it as a fenced block:
//
//   ```occlusion
//   image: /media/<sha256>.png
//   mask: /media/<sha256>.svg
//   ```
//
// The renderer lays the mask (an SVG the size of the image) over the image. The question side
// carries a mask with the asked region covered, the answer side one with it uncovered, so the
// two sides differ only in the mask. Both paths must be stored media (see media.ts).
import { MEDIA_PATH } from './media'

export const OCCLUSION_FENCE_INFO = 'occlusion'

export interface OcclusionFence {
  image: string
  mask: string
}

/** The fenced block for one side. */
export function occlusionFence(fence: OcclusionFence): string {
  return `\`\`\`${OCCLUSION_FENCE_INFO}\nimage: ${fence.image}\nmask: ${fence.mask}\n\`\`\``
}

/** A fence body read back, or why it cannot be shown. */
export function parseOcclusionFence(body: string): { ok: true; fence: OcclusionFence } | { ok: false; error: string } {
  const values = new Map<string, string>()
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue
    const match = line.match(/^\s*(image|mask)\s*:\s*(\S+)\s*$/)
    if (!match)
      return { ok: false, error: `an occlusion block holds only "image:" and "mask:" lines, not "${line.trim()}"` }
    values.set(match[1]!, match[2]!)
  }
  const image = values.get('image')
  const mask = values.get('mask')
  if (!image || !mask) return { ok: false, error: 'an occlusion block needs both an "image:" and a "mask:" line' }
  for (const [name, path] of [
    ['image', image],
    ['mask', mask]
  ] as const) {
    if (!MEDIA_PATH.test(path))
      return { ok: false, error: `the ${name} must be a stored image (/media/<sha256>.<ext>), not ${path}` }
  }
  if (!mask.endsWith('.svg')) return { ok: false, error: 'the mask must be an SVG image' }
  return { ok: true, fence: { image, mask } }
}
