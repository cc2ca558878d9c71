// The Browse search language, Anki-like: words and "quoted phrases" (full text), -negation,
// and filters deck:NAME, tag:NAME, is:due|new|learning|review|suspended|buried|leech,
// prop:lapses|reps|ivl|due(>, >=, <, <=, =)N. Pure: text in, a query tree out.
import { ValidationError } from '../../shared/errors'

export type IsFilter = 'due' | 'new' | 'learning' | 'review' | 'suspended' | 'buried' | 'leech'
export type PropName = 'lapses' | 'reps' | 'ivl' | 'due'
export type Comparison = '>' | '>=' | '<' | '<=' | '='

export type Clause =
  | { kind: 'text'; text: string; phrase: boolean; negated: boolean }
  | { kind: 'deck'; pattern: string; negated: boolean }
  | { kind: 'tag'; pattern: string; negated: boolean }
  | { kind: 'is'; what: IsFilter; negated: boolean }
  | { kind: 'prop'; name: PropName; op: Comparison; value: number; negated: boolean }

const IS_VALUES: readonly IsFilter[] = ['due', 'new', 'learning', 'review', 'suspended', 'buried', 'leech']
const PROP = /^(lapses|reps|ivl|due)(>=|<=|>|<|=)(-?\d+)$/

/** Splits on white space, keeping "quoted phrases" (and name:"quoted values") together. */
function tokenize(query: string): string[] {
  const tokens: string[] = []
  const pattern = /-?(?:[a-z]+:)?"[^"]*"?|\S+/gi
  for (const match of query.matchAll(pattern)) tokens.push(match[0])
  return tokens
}

const unquote = (value: string) => value.replace(/^"/, '').replace(/"$/, '')

export function parseBrowseQuery(query: string): Clause[] {
  const clauses: Clause[] = []
  for (const raw of tokenize(query)) {
    const negated = raw.startsWith('-') && raw.length > 1
    const token = negated ? raw.slice(1) : raw
    const filter = /^([a-z]+):(.*)$/i.exec(token)
    if (filter && !token.startsWith('"')) {
      const name = filter[1]!.toLowerCase()
      const value = unquote(filter[2]!)
      if (!value) throw new ValidationError(`${name}: needs a value`)
      switch (name) {
        case 'deck':
        case 'tag':
          clauses.push({ kind: name, pattern: value.toLowerCase(), negated })
          continue
        case 'is': {
          const what = value.toLowerCase() as IsFilter
          if (!IS_VALUES.includes(what)) throw new ValidationError(`unknown is:${value} (use ${IS_VALUES.join(', ')})`)
          clauses.push({ kind: 'is', what, negated })
          continue
        }
        case 'prop': {
          const match = PROP.exec(value.toLowerCase())
          if (!match) throw new ValidationError(`prop: takes lapses, reps, ivl or due, a comparison and a number (prop:lapses>3)`)
          clauses.push({ kind: 'prop', name: match[1] as PropName, op: match[2] as Comparison, value: Number(match[3]), negated })
          continue
        }
        default:
          throw new ValidationError(`unknown filter ${name}: (use deck:, tag:, is: or prop:)`)
      }
    }
    const phrase = token.startsWith('"')
    const text = phrase ? unquote(token) : token
    if (text.trim()) clauses.push({ kind: 'text', text, phrase, negated })
  }
  return clauses
}
