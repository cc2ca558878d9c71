// The note reader's helpers (issue 15): the title once, and the table of contents.
import { describe, expect, it } from 'vitest'
import { bodyWithoutTitle, noteOutline } from './lib'

describe('bodyWithoutTitle', () => {
  it('drops a first heading that repeats the title, whatever its case and markup', () => {
    expect(bodyWithoutTitle('TCP vs UDP', '# TCP vs UDP\n\nBytes or datagrams.')).toBe('Bytes or datagrams.')
    expect(bodyWithoutTitle('TCP vs UDP', '  # tcp  vs *UDP* #\nBytes.')).toBe('Bytes.')
  })

  it('keeps a body whose first heading says something else, or that has none', () => {
    expect(bodyWithoutTitle('TCP vs UDP', '# Why UDP\n\nText.')).toBe('# Why UDP\n\nText.')
    expect(bodyWithoutTitle('TCP vs UDP', 'Text first.\n\n# TCP vs UDP')).toBe('Text first.\n\n# TCP vs UDP')
  })
})

describe('noteOutline', () => {
  it('lists ## and ### headings in order and skips headings inside code fences', () => {
    const body =
      '# Title\n\n## Handshake\ntext\n### SYN *cookies*\n```sh\n## not a heading\n```\n#### too deep\n## Teardown ##\n'
    expect(noteOutline(body)).toEqual([
      { level: 2, text: 'Handshake' },
      { level: 3, text: 'SYN cookies' },
      { level: 2, text: 'Teardown' }
    ])
  })
})
