// Builders for content files, with overrides, so tests state only what they are about.
export function deckMd(title = 'Test deck', extra = ''): string {
  return `---\ntitle: ${title}\n${extra}---\n`
}

export function topicMd(
  options: { id?: string; title?: string; tags?: string; note?: string; blocks?: string[] } = {}
): string {
  const { id = 'topic-one', title, tags, note = '# Topic one\n\nSome long-form text.', blocks = [] } = options
  const front = [`id: ${id}`, title ? `title: ${title}` : null, tags ? `tags: ${tags}` : null]
    .filter(Boolean)
    .join('\n')
  return `---\n${front}\n---\n\n${note}\n\n${blocks.join('\n\n')}\n`
}

export function cardBlock(id: string, front = `Question ${id}?`, back = `Answer ${id}.`, fields = ''): string {
  return `::: card ${id}\n${fields}${front}\n---\n${back}\n:::`
}

export function clozeBlock(id: string, text: string, extra?: string): string {
  return `::: cloze ${id}\n${text}\n${extra ? `---\n${extra}\n` : ''}:::`
}

export function quizBlock(id: string, type: string, body: string, fields = ''): string {
  return `::: quiz ${id} ${type}\n${fields}${body}\n:::`
}
