// What the learner answered, in words, for the results page (the right answer and the explanation
// come from the host's feedback). Pure: a function of the item as shown and the answer sent.
import type { QuizAnswer, QuizFeedback, QuizItemView } from '../../../../shared/study'

/** One answered item as the results page shows it. */
export interface AnsweredItem {
  /** The learner's answer in words. */
  given: string
  feedback: QuizFeedback
}

export function describeAnswer(item: QuizItemView, answer: QuizAnswer): string {
  if (item.type === 'choice' && answer.type === 'choice')
    return answer.selected.map((i) => item.options[i] ?? `option ${i + 1}`).join('; ')
  if (answer.type === 'truefalse') return answer.value ? 'True' : 'False'
  if (answer.type === 'typein') return answer.text.trim()
  if (answer.type === 'cloze') return answer.texts.map((t) => t.trim()).join(' · ')
  if (item.type === 'order' && answer.type === 'order')
    return answer.order.map((i, n) => `${n + 1}. ${item.items[i] ?? '?'}`).join('  ')
  if (item.type === 'match' && answer.type === 'match')
    return item.left.map((l, i) => `${l} → ${item.right[answer.pairs[i] ?? -1] ?? '?'}`).join('; ')
  return ''
}
