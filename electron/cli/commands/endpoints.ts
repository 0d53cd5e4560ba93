// Imported by the `engine` bundle entry too: keep this module free of services and SDK imports.
import { CliFailure, EXIT } from '../output'

/** DynamoDB Local's default port, and `tablewright engine`'s. */
export const DEFAULT_ENDPOINT = 'http://localhost:8000'
export const DEFAULT_REGION = 'us-east-1'

/**
 * `--endpoint` is a URL with its scheme: `localhost:8000` parses as a URL whose scheme is "localhost:", and the SDK
 * would fail later with a message about neither.
 */
export function checkEndpoint(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    const example = /^[\w.-]+(:\d+)?(\/.*)?$/.test(value) ? `http://${value}` : DEFAULT_ENDPOINT
    throw new CliFailure(
      `--endpoint needs a URL starting with http:// or https://, e.g. --endpoint ${example} (got "${value}")`,
      EXIT.usage,
      'input.invalid',
    )
  }
  return value
}
