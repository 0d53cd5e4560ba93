/**
 * Fetches a large answer from the browser host off the page's main thread and hands the bytes over (transferred,
 * not copied). Receiving a response costs the thread that fetches it time for every byte, more so with DevTools
 * network tracking on (as under Playwright): about 25 ms per MB measured here, 300 ms for a 100k-item table. A
 * worker pays that on another core; the page then only decodes and parses the text.
 */
interface BulkRequest {
  id: number
  url: string
  headers: Record<string, string>
  body: string
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<BulkRequest>) => void) | null
  postMessage(message: unknown, transfer?: Transferable[]): void
}

scope.onmessage = (e) => {
  const { id, url, headers, body } = e.data
  fetch(url, { method: 'POST', headers, body })
    .then((res) => res.arrayBuffer())
    .then(
      (bytes) => scope.postMessage({ id, bytes }, [bytes]),
      (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    )
}
