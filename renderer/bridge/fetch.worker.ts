/**
 * Fetches a large answer from the browser host off the page's main thread and hands over its text. Receiving a
 * response costs the thread that fetches it time for every byte, more so with DevTools network tracking on (as under
 * Playwright): about 25 ms per MB measured here, 300 ms for a 100k-item table. A worker pays that on another core;
 * the page then only parses the text.
 */
import { GZIP_HEADER } from '../../shared/contract/security'

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
  // Asked gzipped and inflated here (see GZIP_HEADER), and decoded here too (UTF-8 to a string: 13 ms per MB on the
  // page's thread); a string crosses as one copy.
  fetch(url, { method: 'POST', headers: { ...headers, [GZIP_HEADER]: '1' }, body })
    .then((res) =>
      res.headers.get(GZIP_HEADER) === '1' && res.body
        ? new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).text()
        : res.text(),
    )
    .then(
      (text) => scope.postMessage({ id, text }),
      (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    )
}
