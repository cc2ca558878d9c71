// Image occlusion notes from real Anki decks (Anki's own type and the Image Occlusion Enhanced
// add-on's) become cards that show the picture with the asked region covered, then uncovered.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { maskSvg, parseShapes, withViewBox } from '../../../src/main/import/anki/occlusion'
import { parseOcclusionFence } from '../../../src/shared/occlusion'
import type { AnkiVersion } from '../../fixtures/import/anki-package'
import { IMAGE_HEIGHT, IMAGE_WIDTH, occlusionPackage, SHAPES } from '../../fixtures/import/occlusion-package'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { rows } from './helpers'

async function importOcclusions(version: AnkiVersion, shapes?: string) {
  const { db } = tempDb()
  const mediaDir = join(tempDir(), 'media')
  const file = join(tempDir(), 'diagrams.apkg')
  writeFileSync(file, occlusionPackage(version, shapes))
  const summary = await runImport(db, file, { now: FIXED_NOW, mediaDir })
  const cards = rows(db, 'SELECT id, kind, front, back FROM cards ORDER BY position') as {
    id: string
    kind: string
    front: string
    back: string
  }[]
  return { summary, cards, mediaDir }
}

/** The fence of a card side, and the SVG text of its mask as stored. */
function maskOf(side: string, mediaDir: string): { image: string; svg: string } {
  const body = side.match(/```occlusion\n([\s\S]*?)```/)?.[1]
  const parsed = parseOcclusionFence(body ?? '')
  if (!parsed.ok) throw new Error(`no occlusion fence in ${side}: ${parsed.error}`)
  return {
    image: parsed.fence.image,
    svg: readFileSync(join(mediaDir, parsed.fence.mask.slice('/media/'.length)), 'utf8')
  }
}

/** The shapes drawn in a mask: element name and fill, in order. */
const drawn = (svg: string) =>
  [...svg.matchAll(/<(rect|ellipse|polygon|text)\b[^>]*?fill="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`)

describe.each(['anki21b', 'anki2'] as const)('image occlusion from an Anki package (%s)', (version) => {
  it("turns each of Anki's occlusion cards into the picture with its own shapes covered, then outlined", async () => {
    const { summary, cards, mediaDir } = await importOcclusions(version)
    const anki = cards.filter((c) => c.id.includes('#c'))
    expect(anki.map((c) => [c.id.split('#')[1], c.kind])).toEqual([
      ['c1', 'basic'],
      ['c2', 'basic']
    ])
    // Card 3 has only a label, which asks nothing: it is named, not dropped silently.
    expect(summary.warnings.map((w) => w.message)).toContain(
      'note 1 (image occlusion, card 3): it has no shape to ask on card 3; skipped'
    )
    const [one, two] = anki
    expect(one!.front).toMatch(/^Name the area\n\n```occlusion\n/)
    expect(one!.back).toMatch(/```\n\nAreas meet at ABRs\.$/)
    const q1 = maskOf(one!.front, mediaDir)
    const a1 = maskOf(one!.back, mediaDir)
    expect(q1.image).toBe(a1.image)
    expect(q1.svg).toContain(`viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}"`)
    // Card 1 asks the rectangle (fractions of a 400x200 picture become pixels); card 2's shapes
    // hide only themselves (no oi=1), so they are not drawn on card 1; the label always is.
    expect(drawn(q1.svg)).toEqual(['rect #ff8e8e', 'text #000'])
    expect(q1.svg).toContain('<rect x="40" y="40" width="100" height="60"')
    expect(drawn(a1.svg)).toEqual(['rect none', 'text #000'])
    // The label's text is decoded from the field's HTML once and escaped once for the SVG.
    expect(q1.svg).toContain('>Area 0 &lt;&amp;&gt; &quot;backbone&quot;</text>')
    // Card 2: its ellipse and triangle asked, card 1's rectangle covered (its oi=1).
    const q2 = maskOf(two!.front, mediaDir)
    expect(drawn(q2.svg)).toEqual(['rect #ffeba2', 'ellipse #ff8e8e', 'polygon #ff8e8e', 'text #000'])
    expect(q2.svg).toContain('<ellipse cx="240" cy="60" rx="40" ry="40"')
    expect(q2.svg).toContain('<polygon points="280,120 360,120 320,180"')
    expect(drawn(maskOf(two!.back, mediaDir).svg)).toEqual([
      'rect #ffeba2',
      'ellipse none',
      'polygon none',
      'text #000'
    ])
  })

  it("lays the add-on's own masks over its picture, keeping its text fields and leaving out its bookkeeping", async () => {
    const { cards, mediaDir } = await importOcclusions(version)
    const addon = cards.find((c) => !c.id.includes('#'))!
    expect(addon.kind).toBe('basic')
    expect(addon.front).toMatch(/^Which router\?\n\n```occlusion\n/)
    expect(addon.back).toContain('**Remarks**\n\nAn ABR sits in two areas.')
    expect(addon.back).toContain('**Sources**\n\nRFC 2328 §3')
    expect(`${addon.front}${addon.back}`).not.toContain('abc123')
    expect(`${addon.front}${addon.back}`).not.toContain('Original Mask')
    const question = maskOf(addon.front, mediaDir)
    // The add-on's SVG gained a viewBox, so it scales with the picture instead of being cut off.
    expect(question.svg).toMatch(/^<svg viewBox="0 0 400 200" xmlns=/)
    expect(question.svg).toContain('<rect x="300" y="50" width="60" height="40" fill="#FF7E7E"')
    expect(maskOf(addon.back, mediaDir).svg).not.toContain('<rect')
  })
})

describe('the import preview', () => {
  it('names an occlusion card by its header and the words "image occlusion", not by its fence', async () => {
    const { db } = tempDb()
    const file = join(tempDir(), 'diagrams.apkg')
    writeFileSync(file, occlusionPackage('anki21b'))
    const preview = await previewImport(db, file, { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    expect(preview.items.filter((i) => i.kind === 'card').map((i) => i.title)).toEqual([
      'Name the area [image occlusion]',
      'Name the area [image occlusion]',
      'Which router? [image occlusion]'
    ])
  })
})

describe('occlusion shapes', () => {
  it('reads every shape kind with its cloze number, and takes a label with colons whole', () => {
    const shapes = parseShapes(
      `${SHAPES}{{c4::image-occlusion:text:left=.1:top=.1:text=RFC 2328: OSPF}}{{c5::image-occlusion:star:left=.1}}`
    )
    expect(shapes.map((s) => [s.ordinal, s.kind])).toEqual([
      [1, 'rect'],
      [2, 'ellipse'],
      [2, 'polygon'],
      [3, 'text'],
      [4, 'text']
    ])
    expect(shapes[4]!.props.get('text')).toBe('RFC 2328: OSPF')
  })

  it("takes coordinates above 1 as pixels (Anki 23.10's form) and rotates by the shape's corner", () => {
    const svg = maskSvg(
      parseShapes('{{c1::image-occlusion:rect:left=40:top=40:width=100:height=60:angle=30}}'),
      1,
      { width: 400, height: 200 },
      'front'
    )
    expect(svg).toContain('<rect x="40" y="40" width="100" height="60" fill="#ff8e8e"')
    expect(svg).toContain('transform="rotate(30 40 40)"')
  })

  it('adds a viewBox only where an SVG has a size and none', () => {
    const sized = new TextEncoder().encode(
      '<?xml version="1.0"?>\n<svg width="640px" height="480" xmlns="x"><g/></svg>'
    )
    expect(new TextDecoder().decode(withViewBox(sized))).toBe(
      '<?xml version="1.0"?>\n<svg viewBox="0 0 640 480" width="640px" height="480" xmlns="x"><g/></svg>'
    )
    for (const kept of [
      '<svg viewBox="0 0 1 1" width="5" height="5"/>',
      '<svg width="100%" height="100%"/>',
      'not svg'
    ]) {
      const bytes = new TextEncoder().encode(kept)
      expect(withViewBox(bytes)).toBe(bytes)
    }
  })
})
