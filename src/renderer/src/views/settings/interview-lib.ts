// Words for the interview plan, shared by Settings and Home.
import type { InterviewView } from '../../../../shared/study'

/** A probability as a whole percentage: 0.956 -> "96 %". */
export const percent = (p: number): string => `${Math.round(p * 100)} %`

/** Home's one line about the plan, or null when there is none to show. */
export function planLine(view: InterviewView): string | null {
  const f = view.forecast
  if (!view.plan || !f) return null
  const days = f.daysLeft === 1 ? '1 day' : `${f.daysLeft} days`
  const line = `Interview in ${days} (${view.plan.date}): predicted recall ${percent(f.predictedRecall)}, target ${percent(view.plan.target)}, busiest day ${f.peakAnswers} answers.`
  return f.warnings.length ? `${line} ${f.warnings[0]}` : line
}
