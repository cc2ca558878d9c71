// The scaling check itself: it must tell linear work from quadratic work on this machine,
// whatever its load, or the regression tests that use it prove nothing.
import { describe, expect, it } from 'vitest'
import { growth, linearLimit } from '../../helpers/scaling'

/** Sums char codes once per character: linear. */
const linear = (text: string) => {
  let sum = 0
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i)
  return sum
}
/** Compares every character with every later one: quadratic. */
const quadratic = (text: string) => {
  let same = 0
  for (let i = 0; i < text.length; i++)
    for (let j = i + 1; j < text.length; j++) if (text.charCodeAt(i) === text.charCodeAt(j)) same++
  return same
}

describe('growth', () => {
  it('passes linear work and fails quadratic work', async () => {
    const make = (n: number) => 'ab'.repeat(n)
    expect(await growth(make, linear, 200_000)).toBeLessThan(linearLimit())
    expect(await growth(make, quadratic, 250)).toBeGreaterThan(linearLimit())
  })
})
