// The last few results of an expensive pure function, by a string key: the least recently used
// goes when it is full (a Map keeps insertion order, so a hit is moved to the end).

export function lastUsedCache<A extends unknown[], R>(
  size: number,
  keyOf: (...args: A) => string,
  make: (...args: A) => R
): (...args: A) => R {
  const kept = new Map<string, R>()
  return (...args) => {
    const key = keyOf(...args)
    if (kept.has(key)) {
      const value = kept.get(key) as R
      kept.delete(key)
      kept.set(key, value)
      return value
    }
    const value = make(...args)
    if (kept.size >= size) kept.delete(kept.keys().next().value!)
    kept.set(key, value)
    return value
  }
}
