// The interview plan as a service: stored under the `interview` setting, it brings reviews of the
// chosen decks forward so they land before the interview day, raises those decks' new cards a day
// so every card is introduced in time, and forecasts the work. Review calls `adjust` and `limits`;
// the rules themselves are pure (scheduler/interview-plan.ts).
import { ValidationError } from '../../shared/errors'
import type { CardState, GlobalSettings, InterviewPlan, InterviewView } from '../../shared/study'
import { curveFor } from '../scheduler/fsrs'
import { capForInterview, DAY_MS, forecastInterview, newPerDayFor, type PlanWindow } from '../scheduler/interview-plan'
import { dayLabel, studyDay } from '../scheduler/study-day'
import type { InterviewStore } from '../store/interview'
import type { SettingsStore } from '../store/settings'
import type { SettingsService } from './settings'

const PLAN_KEY = 'interview'
/** How far ahead a plan may look (days): the forecast walks every day up to the interview. */
export const MAX_PLAN_DAYS = 366

export interface InterviewDeps {
  store: InterviewStore
  settingsStore: SettingsStore
  settings: SettingsService
  liveDeckIds: () => string[]
  clock: () => number
  tzOffset: (now: number) => number
}

export function createInterviewService(deps: InterviewDeps) {
  const { store, settingsStore, settings, clock, tzOffset } = deps

  const plan = (): InterviewPlan | null => settingsStore.get<InterviewPlan>(PLAN_KEY)
  const today = (now: number) => studyDay(now, settings.global().dayStartHour, tzOffset(now))

  /** The study day the interview falls on, as a day number. */
  const dayNumberOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS

  function windowAt(now: number): (PlanWindow & { daysLeft: number; deckIds: string[] }) | null {
    const p = plan()
    if (!p) return null
    const day = today(now)
    const daysLeft = dayNumberOf(p.date) - day.number
    if (daysLeft <= 0) return null
    const deckIds = p.deckIds.length ? p.deckIds : deps.liveDeckIds()
    return { startMs: day.startMs + daysLeft * DAY_MS, target: p.target, daysLeft, deckIds }
  }

  function view(): InterviewView {
    const p = plan()
    const now = clock()
    const window = windowAt(now)
    if (!p || !window) return { plan: p, forecast: null }
    const global = settings.global()
    const day = today(now)
    const forecast = forecastInterview({
      cards: store.cardsOf(window.deckIds),
      now,
      todayStartMs: day.startMs,
      window,
      settings: global,
      reviewsPerDay: global.reviewsPerDay
    })
    const { days, ...rest } = forecast
    return {
      plan: p,
      forecast: { ...rest, days: days.map(({ offset, ...d }) => ({ ...d, date: dayLabel(day.number + offset) })) }
    }
  }

  return {
    view,

    set(next: InterviewPlan | null): InterviewView {
      if (next) {
        const days = dayNumberOf(next.date) - today(clock()).number
        if (!Number.isFinite(days) || days < 1)
          throw new ValidationError(`the interview date ${next.date} is not after today`)
        if (days > MAX_PLAN_DAYS) throw new ValidationError(`the interview date is more than a year away`)
        const live = new Set(deps.liveDeckIds())
        const unknown = next.deckIds.find((id) => !live.has(id))
        if (unknown) throw new ValidationError(`no deck ${unknown}`)
        settingsStore.put(PLAN_KEY, { ...next, deckIds: [...new Set(next.deckIds)] })
      } else {
        settingsStore.remove(PLAN_KEY)
      }
      return view()
    },

    /**
     * What the plan does to a card of this deck scheduled at `now`: bring it forward when it needs
     * a review before the day. Null when the plan is not in force for the deck (the plan is read
     * once, however many states the caller adjusts).
     */
    adjuster(deckId: string, now: number): ((card: CardState) => CardState) | null {
      const window = windowAt(now)
      if (!window || !window.deckIds.includes(deckId)) return null
      const curve = curveFor(settings.effective(deckId))
      const todayEnd = today(now).endMs
      return (card) => capForInterview(card, now, window, curve, todayEnd)
    },

    /**
     * Limits with the plan's new-card rate: a plan deck introduces at least what the days left
     * need; across all decks the global limit grows by the plan decks' needs. `introducedToday`
     * gives a deck's new cards introduced today.
     */
    limits(
      deckId: string | null,
      base: GlobalSettings,
      introducedToday: (deckId: string) => number,
      now: number
    ): GlobalSettings {
      const window = windowAt(now)
      if (!window) return base
      const need = (id: string) => newPerDayFor(store.newLeft(id), introducedToday(id), window.daysLeft)
      if (deckId) {
        if (!window.deckIds.includes(deckId)) return base
        return { ...base, newPerDay: Math.max(base.newPerDay, need(deckId)) }
      }
      const extra = window.deckIds.reduce((sum, id) => sum + need(id), 0)
      return { ...base, newPerDay: base.newPerDay + extra }
    }
  }
}

export type InterviewService = ReturnType<typeof createInterviewService>
