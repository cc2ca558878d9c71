// The editors' keys: Ctrl/Cmd+Enter saves, Escape cancels, and nothing typed in an editor
// reaches the page behind it (Review's single-letter shortcuts, for one).
export function editorKeydown(save: () => void, cancel: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    event.stopPropagation()
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      save()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      cancel()
    }
  }
}
