/**
 * The renderer's Content Security Policy, used by both hosts (a meta tag in index.html for the desktop app, a header
 * in the browser host). Monaco needs blob: workers and inline styles; nothing is loaded from elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export const TOKEN_HEADER = 'x-tablewright-token'
export const TOKEN_META = 'tablewright-token'
