// A file imported through the page travels alone: images beside it on the learner's disk cannot
// come with it, and each gets a warning rather than vanishing (README, Import and export).
import { describe, expect, it } from 'vitest'
import { studyFixture } from '../../helpers/study'

describe('page import of markdown with relative images', () => {
  it('warns that each image beside the file was not found, and keeps the card', async () => {
    const fx = studyFixture(1)
    const text =
      '# Diagrams\n\n### 1. What does the handshake look like?\n\n![handshake](img/handshake.png)\n\nSYN, SYN-ACK, ACK.\n'
    const summary = await fx.handlers.previewImport({
      fileName: 'diagrams.md',
      dataBase64: Buffer.from(text).toString('base64')
    })
    expect(summary.created).toBeGreaterThan(0)
    expect(summary.warnings.map((w) => w.message).join('\n')).toMatch(/img\/handshake\.png[\s\S]*not found/)
  })
})
