import { writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * An AWS config file whose profile "broken" has a credential_process that really runs and fails, printing a
 * token-like secret to stderr (as real helpers sometimes do) and carrying it on its command line.
 */
export function failingProcessConfig(dir: string): { config: string; secret: string; script: string } {
  const secret = `tok-${process.pid}-s3cr3t`
  const script = path.join(dir, 'fail-creds.sh')
  writeFileSync(script, `#!/bin/sh\necho "refresh with ${secret} rejected" >&2\nexit 3\n`, { mode: 0o755 })
  const config = path.join(dir, 'config-process')
  writeFileSync(
    config,
    `[profile broken]\ncredential_process = ${script} --token ${secret}\nregion = eu-west-1\n`,
  )
  return { config, secret, script }
}
