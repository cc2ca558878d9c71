// Property tests over the Browse search language: any text parses to clauses or is refused
// with a ValidationError, and any parsed query runs against a real collection without a
// SQLite error (FTS5 MATCH syntax, GLOB patterns, quotes and wildcards all stay data).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseBrowseQuery } from '../../../src/main/study/browse-query'
import { ValidationError } from '../../../src/shared/errors'
import { testCollection } from '../../helpers/collection'
import { budget } from './budget'

/** Text built from the language's own pieces, so filters, quotes and negation meet often. */
const queryText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'deck:',
        'tag:',
        'is:',
        'prop:',
        '-',
        '"',
        '*',
        '?',
        '[',
        ']',
        'due',
        'new',
        'lapses>',
        'ivl>=',
        'reps=',
        'due<',
        '-1',
        '3',
        ' ',
        'NEAR(',
        'AND',
        'OR',
        'NOT',
        '^',
        '{',
        '}',
        ':',
        "'",
        '\\',
        '%',
        '_',
        '\0'
      ),
      fc.string({ maxLength: 6 }),
      fc.string({ maxLength: 4, unit: 'binary' })
    ),
    { maxLength: 12 }
  )
  .map((parts) => parts.join(''))

describe('the Browse search language under random input', () => {
  it('parses to clauses or refuses with a ValidationError', () => {
    fc.assert(
      fc.property(fc.oneof(queryText, fc.string({ maxLength: 200, unit: 'binary' })), (query) => {
        try {
          for (const clause of parseBrowseQuery(query)) {
            if (clause.kind === 'text') expect(clause.text.trim().length).toBeGreaterThan(0)
            if (clause.kind === 'prop') expect(Number.isFinite(clause.value)).toBe(true)
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError)
        }
      }),
      budget(2000)
    )
  })

  it('runs any query through browseCards and search without an internal error', async () => {
    const { handlers } = testCollection()
    const total = (
      await handlers.browseCards({ query: '', sort: 'position', descending: false, limit: 1000, offset: 0 })
    ).total
    expect(total).toBeGreaterThan(0)
    const sort = fc.constantFrom('position', 'due', 'interval', 'lapses', 'created') as fc.Arbitrary<
      'position' | 'due' | 'interval' | 'lapses' | 'created'
    >
    await fc.assert(
      fc.asyncProperty(queryText, sort, fc.boolean(), async (query, order, descending) => {
        try {
          const result = await handlers.browseCards({ query, sort: order, descending, limit: 50, offset: 0 })
          expect(result.total).toBeGreaterThanOrEqual(0)
          expect(result.total).toBeLessThanOrEqual(total)
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError)
        }
        const found = await handlers.search({ query, limit: 20 })
        expect(Array.isArray(found)).toBe(true)
      }),
      budget(400)
    )
  })
})
