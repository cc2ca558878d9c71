import { describe, expect, it } from 'vitest'
import { lineRange, mappingProblem, tableChoices } from './lib'

describe('import screen helpers', () => {
  it('shows one line or a range', () => {
    expect(lineRange(12, undefined)).toBe('12')
    expect(lineRange(12, 12)).toBe('12')
    expect(lineRange(12, 18)).toBe('12–18')
  })

  it('sends the mapping only once chosen, and the header choice only when made', () => {
    expect(tableChoices(null, null)).toEqual({})
    expect(tableChoices(['front', 'back'], null)).toEqual({ columns: ['front', 'back'] })
    expect(tableChoices(null, false)).toEqual({ header: false })
  })

  it('needs a front column', () => {
    expect(mappingProblem(['back', 'tags'])).toMatch(/front/)
    expect(mappingProblem(['ignore', 'front'])).toBeNull()
  })
})
