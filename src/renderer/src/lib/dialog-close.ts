// A modal <dialog> tells its page it closed the moment Esc is pressed (its `cancel` event),
// not only from `close`, which the browser fires in a later task: a key pressed right after
// Esc (E in Review) would otherwise reach a page that still thinks the dialog is open and be
// dropped. Both events, and the Close button, may report the same closing: the page hears it once.
export function closeOnce(onclose: () => void): () => void {
  let closed = false
  return () => {
    if (closed) return
    closed = true
    onclose()
  }
}
