import { describe, expect, it } from 'vitest'
import { closeOnce } from './dialog-close'

describe('closeOnce', () => {
  it('tells the page once, whichever of cancel, close and the Close button comes first', () => {
    let told = 0
    const close = closeOnce(() => told++)
    expect(told).toBe(0)
    close() // cancel (Esc)
    close() // the close event that follows it
    close() // a click on Close in between
    expect(told).toBe(1)
  })
})
