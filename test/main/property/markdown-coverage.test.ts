// Text in = text accounted for: whatever layout a markdown file is read as, every line that holds
// text ends up in a card, a note, a warning's line range, or the deck's title and description, a
// tag, or a line left out by name. Documents are built from the blocks the layouts use (and the
// blocks that trip them: prose, tables of contents, HTML, code with `::` and `1.` inside, an
// unclosed <details>, stray `?` lines), in random order and count.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../../../src/main/import/markdown'
import { accountedLines } from '../../../src/main/import/markdown/builder'
import { detectLayout } from '../../../src/main/import/markdown/detect'
import { budget } from './budget'

const words = fc.stringMatching(/^[A-Za-z][A-Za-z ,.'()-]{0,40}[a-z]$/)

const block = fc.oneof(
  words.map((w) => `## ${w}`),
  words.map((w) => `### ${w}?`),
  fc.tuple(fc.nat(40), words, words).map(([n, q, a]) => `#### ${n + 1}. ${q}?\n\n${a}.`),
  fc.tuple(words, words).map(([q, a]) => `<details>\n<summary>${q}?</summary><br><b>\n\n${a}.\n\n</b></details>`),
  fc.tuple(words, words).map(([q, a]) => `<details><summary>Answer</summary>\n${a}\n</details>\n\n${q}`),
  words.map((q) => `<details>\n<summary>${q}</summary>\nnever closed`),
  fc.tuple(fc.nat(9), words, words).map(([n, q, a]) => `${n + 1}. ${q}?\n\n   ${a}.\n\n   - ${a}`),
  fc.tuple(fc.nat(9), words).map(([n, q]) => `${n + 1}. ### ${q}?`),
  fc.tuple(words, words).map(([q, a]) => `${q}::${a}`),
  fc.tuple(words, words).map(([q, a]) => `${q}:::${a}`),
  fc.tuple(words, words).map(([q, a]) => `${q}\n?\n${a}`),
  fc.tuple(words, words).map(([q, a]) => `${q}\n??\n${a}`),
  fc.tuple(words, words).map(([a, b]) => `${a} ==${b}== end`),
  fc.constant('#flashcards/net/tcp'),
  fc.constant('<!--SR:!2026-01-01,3,250-->'),
  words.map((w) => `- [${w}](#${w.toLowerCase().replace(/\W+/g, '-')})`),
  fc.constant('<p align="center"><img src="x.png"/></p>'),
  fc.constant('**[Back to top](#contents)**'),
  words.map((w) => `\`\`\`cpp\nstd::${w.replace(/\W/g, '')}();\n1. not a question\n## not a heading\n\`\`\``),
  fc.constant('---'),
  fc.constant('?'),
  words.map((w) => `| ${w} | cell |\n| --- | --- |\n| a | b |`),
  words
)

const document = fc
  .tuple(fc.option(words.map((w) => `# ${w}`)), fc.array(block, { minLength: 1, maxLength: 14 }))
  .map(([title, blocks]) => [...(title ? [title] : []), ...blocks].join('\n\n'))

describe('markdown import accounts for every line', () => {
  it('every line with text is in a card, a note, a warning or a named structure span', () => {
    fc.assert(
      fc.property(document, (text) => {
        const plan = parseMarkdown(text, { file: 'doc.md', fallbackName: 'doc' })
        const covered = accountedLines(plan, plan.structure ?? [])
        const lost = text
          .split('\n')
          .flatMap((line, i) =>
            line.trim() === '' || /^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line) || covered.has(i + 1)
              ? []
              : [`${i + 1}: ${line}`]
          )
        expect(lost, `layout ${plan.layout}`).toEqual([])
        // Every card has an answer or is a cloze; none is empty on the front.
        for (const card of plan.cards) {
          expect(card.front.trim().length).toBeGreaterThan(0)
          if (card.kind === 'basic') expect(card.back.trim().length).toBeGreaterThan(0)
        }
      }),
      budget(300)
    )
  })

  it('detection is total: any document gets a layout or none, never an exception', () => {
    fc.assert(
      fc.property(document, (text) => {
        const layout = detectLayout(text)
        expect(layout === null || ['guide', 'details', 'list', 'obsidian'].includes(layout.kind)).toBe(true)
      }),
      budget(300)
    )
  })
})
