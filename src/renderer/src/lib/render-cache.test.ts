import { describe, expect, it } from 'vitest'
import { lastUsedCache } from './render-cache'

describe('lastUsedCache', () => {
  it('makes each key once while it is kept, and again after it was pushed out', () => {
    const made: string[] = []
    const render = lastUsedCache(
      2,
      (text: string, side: string) => `${side}|${text}`,
      (text: string, side: string) => {
        made.push(`${side}|${text}`)
        return `<p>${text} (${side})</p>`
      }
    )
    expect(render('a', 'front')).toBe('<p>a (front)</p>')
    expect(render('a', 'front')).toBe('<p>a (front)</p>')
    expect(render('a', 'back')).toBe('<p>a (back)</p>')
    expect(made).toEqual(['front|a', 'back|a'])
    // A hit makes 'front|a' the most recent, so the third key pushes out 'back|a'.
    render('a', 'front')
    render('b', 'front')
    expect(made).toEqual(['front|a', 'back|a', 'front|b'])
    render('a', 'front')
    render('a', 'back')
    expect(made).toEqual(['front|a', 'back|a', 'front|b', 'back|a'])
  })

  it('tells apart arguments that differ only in content', () => {
    const render = lastUsedCache(
      8,
      (card: { front: string; back: string }) => JSON.stringify([card.front, card.back]),
      (card: { front: string; back: string }) => `${card.front}/${card.back}`
    )
    expect(render({ front: 'a', back: 'b' })).toBe('a/b')
    expect(render({ front: 'a', back: 'b (edited)' })).toBe('a/b (edited)')
    expect(render({ front: 'a/b', back: '' })).toBe('a/b/')
  })
})
