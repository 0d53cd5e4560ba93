import { describe, expect, it } from 'vitest'
import { endpointProblem } from './endpoint'

describe('endpointProblem', () => {
  it('accepts http and https URLs', () => {
    expect(endpointProblem('http://localhost:8000')).toBeUndefined()
    expect(endpointProblem('https://dynamodb.eu-west-1.amazonaws.com')).toBeUndefined()
    expect(endpointProblem('http://127.0.0.1:4566/')).toBeUndefined()
  })
  it('refuses a missing scheme with the same address as the example', () => {
    expect(endpointProblem('localhost:8000')).toBe(
      'the endpoint needs a URL starting with http:// or https://, e.g. http://localhost:8000 (got "localhost:8000")',
    )
    expect(endpointProblem('scylla.internal:8043')).toContain('e.g. http://scylla.internal:8043')
  })
  it('refuses other schemes and nonsense with the default example', () => {
    expect(endpointProblem('ftp://x')).toContain('e.g. http://localhost:8000')
    expect(endpointProblem('not a url')).toContain('e.g. http://localhost:8000')
  })
})
