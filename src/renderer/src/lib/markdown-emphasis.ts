// Arithmetic in cards (`b + r*T = 10 + 5*2`, `RTT*2`) must not turn into emphasis. CommonMark lets
// `*` open and close emphasis inside a word, so `r*T = 10 + 5*2` italicises `T = 10 + 5`; for `_`
// it does not. This makes `*` follow the `_` rule: a `*` run with a letter or digit on both sides
// neither opens nor closes emphasis. `**bold**` and `*word*` between spaces are unchanged.
import type MarkdownIt from 'markdown-it'

export function noIntrawordStarEmphasis(md: InstanceType<typeof MarkdownIt>): void {
  const Base = md.inline.State
  md.inline.State = class extends Base {
    override scanDelims(start: number, canSplitWord: boolean): ReturnType<InstanceType<typeof Base>['scanDelims']> {
      // markdown-it asks with canSplitWord = true for `*` (and `~`); `false` is the `_` rule.
      return super.scanDelims(start, canSplitWord && this.src.charCodeAt(start) !== 0x2a)
    }
  }
}
