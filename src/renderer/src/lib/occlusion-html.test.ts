import { describe, expect, it } from 'vitest'
import { occlusionFence } from '../../../shared/occlusion'
import { renderOcclusionFence } from './occlusion-html'

const IMAGE = `/media/${'a'.repeat(64)}.png`
const MASK = `/media/${'b'.repeat(64)}.svg`
const body = (fence: string) => fence.split('\n').slice(1, -1).join('\n')

describe('occlusion fences as HTML', () => {
  it('draws the image with its mask laid over it, as one labelled picture', () => {
    const drawn = renderOcclusionFence(body(occlusionFence({ image: IMAGE, mask: MASK })))
    expect(drawn).toEqual({
      html:
        '<div class="occlusion" role="img" aria-label="Image with regions covered">' +
        `<img class="occlusion-image" src="${IMAGE}" alt=""><img class="occlusion-mask" src="${MASK}" alt=""></div>`
    })
  })

  it('refuses anything but stored images, an SVG mask, and its two lines', () => {
    const cases: [string, RegExp][] = [
      [`image: https://example.com/x.png\nmask: ${MASK}`, /image must be a stored image/],
      [`image: ${IMAGE}\nmask: javascript:alert(1)`, /mask must be a stored image/],
      [`image: ${IMAGE}\nmask: ${IMAGE}`, /mask must be an SVG/],
      [`image: ${IMAGE}`, /needs both/],
      [`image: ${IMAGE}\nmask: ${MASK}\nonload: x`, /only "image:" and "mask:" lines/],
      [`image: ${IMAGE}" onerror="alert(1)\nmask: ${MASK}`, /only "image:" and "mask:" lines/]
    ]
    for (const [text, reason] of cases) {
      const drawn = renderOcclusionFence(text)
      expect('error' in drawn && drawn.error, text).toMatch(reason)
    }
  })
})
