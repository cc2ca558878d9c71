// Hands a file made by the services to the browser's (or Electron's) download: the page cannot
// write files itself.

export function downloadBase64(fileName: string, base64: string, type = 'application/octet-stream'): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own copy once click() returns; the URL may go after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
