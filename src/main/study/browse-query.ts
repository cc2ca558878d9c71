// The Browse search language, Anki-like: words and "quoted phrases" (full text), -negation,
// and filters deck:NAME, tag:NAME, is:due|new|learning|review|suspended|buried|leech,
// prop:lapses|reps|ivl|due|s|d|r(>, >=, <, <=, =)N, rated:N[:GRADE], flag:N. Pure: text in,
// a query tree out. As in Anki: prop:s is FSRS stability in days, prop:d difficulty on 0-1
// ((D - 1) / 9 of FSRS's 1-10), prop:r the recall probability now (0-1); rated:N matches cards
// answered in the last N study days (1 is today, at most 365), rated:N:G those answered with grade G.
import { ValidationError } from '../../shared/errors'

export type IsFilter = 'due' | 'new' | 'learning' | 'review' | 'suspended' | 'buried' | 'leech'
export type PropName = 'lapses' | 'reps' | 'ivl' | 'due' | 's' | 'd' | 'r'
export type Comparison = '>' | '>=' | '<' | '<=' | '='

export type Clause =
  | { kind: 'text'; text: string; phrase: boolean; negated: boolean }
  | { kind: 'deck'; pattern: string; negated: boolean }
  | { kind: 'tag'; pattern: string; negated: boolean }
  | { kind: 'is'; what: IsFilter; negated: boolean }
  | { kind: 'prop'; name: PropName; op: Comparison; value: number; negated: boolean }
  | { kind: 'rated'; days: number; grade: number | null; negated: boolean }
  | { kind: 'flag'; flag: number; negated: boolean }

const IS_VALUES: readonly IsFilter[] = ['due', 'new', 'learning', 'review', 'suspended', 'buried', 'leech']
const PROP = /^(lapses|reps|ivl|due|s|d|r)(>=|<=|>|<|=)(-?\d+(?:\.\d+)?)$/
const RATED = /^(\d{1,3})(?::([1-4]))?$/
/** Anki's limit for rated: (days). */
const MAX_RATED_DAYS = 365

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
          const match = PROP.exec(value.toLowerCase().replace(/^(stability|difficulty|retrievability)/, (w) => w[0]!))
          if (!match)
            throw new ValidationError(
              `prop: takes lapses, reps, ivl, due, s, d or r, a comparison and a number (prop:lapses>3, prop:r<0.8)`
            )
          const prop = match[1] as PropName
          const amount = Number(match[3])
          if (['lapses', 'reps', 'ivl', 'due'].includes(prop) && !Number.isInteger(amount))
            throw new ValidationError(`prop:${prop} takes a whole number`)
          clauses.push({ kind: 'prop', name: prop, op: match[2] as Comparison, value: amount, negated })
          continue
        }
        case 'rated': {
          const match = RATED.exec(value)
          const days = Number(match?.[1])
          if (!match || days < 1)
            throw new ValidationError('rated: takes days (1 is today) and optionally a grade 1-4 (rated:7, rated:7:1)')
          clauses.push({
            kind: 'rated',
            days: Math.min(days, MAX_RATED_DAYS),
            grade: match[2] ? Number(match[2]) : null,
            negated
          })
          continue
        }
        case 'flag': {
          if (!/^[0-7]$/.test(value)) throw new ValidationError('flag: takes 0 (no flag) to 7 (flag:1 is red)')
          clauses.push({ kind: 'flag', flag: Number(value), negated })
          continue
        }
        default:
          throw new ValidationError(`unknown filter ${name}: (use deck:, tag:, is:, prop:, rated: or flag:)`)
      }
    }
    const phrase = token.startsWith('"')
    const text = phrase ? unquote(token) : token
    if (text.trim()) clauses.push({ kind: 'text', text, phrase, negated })
  }
  return clauses
}
