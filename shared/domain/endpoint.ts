/**
 * What is wrong with an endpoint URL as typed, in plain words with an example, or undefined when it is fine.
 * `localhost:8000` parses as a URL whose scheme is "localhost:", and the SDK would fail later with a message
 * about neither, so a missing scheme is named as such.
 */
export function endpointProblem(value: string): string | undefined {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return undefined
  const example = /^[\w.-]+(:\d+)?(\/.*)?$/.test(value) ? `http://${value}` : 'http://localhost:8000'
  return `the endpoint needs a URL starting with http:// or https://, e.g. ${example} (got "${value}")`
}
