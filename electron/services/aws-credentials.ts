import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import type { AwsProfileSummary } from '../../shared/contract/channels/connections'
import { WorkbenchError } from './errors'

type CredentialProvider = ReturnType<typeof fromIni>
type Credentials = Awaited<ReturnType<CredentialProvider>>

/** Sections of an INI file: name → key/value pairs (AWS shared files are INI with `#`/`;` comments). */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>()
  let current: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[([^\]]+)\]/.exec(line)
    if (header) {
      const name = header[1]!.trim()
      current = sections.get(name) ?? {}
      sections.set(name, current)
      continue
    }
    const eq = line.indexOf('=')
    // Nested sub-properties (indented lines under e.g. `s3 =`) have no bearing on names or regions.
    if (!current || eq < 0 || /^\s/.test(raw)) continue
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  return sections
}

export function awsConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config')
}

export function awsCredentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), '.aws', 'credentials')
}

const readOptional = async (file: string) => readFile(file, 'utf8').catch(() => '')

/**
 * Named profiles from the AWS shared files, names and regions only (never keys). In the config file profiles
 * are `[profile NAME]` (or `[default]`); `[sso-session …]` and `[services …]` sections are not profiles.
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
export async function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfileSummary[]> {
  const out = new Map<string, AwsProfileSummary>()
  for (const [section, values] of parseIni(await readOptional(awsConfigFile(env)))) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim()
    if (!name) continue
    out.set(name, values.region ? { name, region: values.region } : { name })
  }
  for (const [name] of parseIni(await readOptional(awsCredentialsFile(env)))) if (!out.has(name)) out.set(name, { name })
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** How long a credential lookup may take: an SSO or credential_process call must fail, not hang. */
export const CREDENTIALS_TIMEOUT_MS = 10_000

/** Turns a credential provider failure into 'connection.credentials' naming the fix. */
export function credentialsError(err: unknown, profile: string | undefined): WorkbenchError {
  const message = (err instanceof Error ? err.message : String(err)).trim().replace(/\.+$/, '')
  const who = profile ? `profile "${profile}"` : 'the default credential chain'
  let fix: string
  if (/sso|token/i.test(message) && /expired|invalid|refresh|not found|could not/i.test(message))
    fix = `Run \`aws sso login${profile ? ` --profile ${profile}` : ''}\` and try again.`
  else if (/could not (load|resolve) credentials|unable to find|not found|no credentials/i.test(message))
    fix = profile
      ? `Check that ${who} exists in ${awsConfigFile()} or ${awsCredentialsFile()}.`
      : 'Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pick a named profile.'
  else fix = `Check ${who} with \`aws sts get-caller-identity${profile ? ` --profile ${profile}` : ''}\`.`
  return new WorkbenchError('connection.credentials', `no usable AWS credentials for ${who}: ${message}. ${fix}`, {
    profile,
    providerMessage: message,
  })
}

/**
 * AWS credentials for a named profile (fromIni: static keys, SSO sessions, credential_process, assume-role)
 * or, without one, the Node provider chain (environment variables first). Every lookup is bounded by a
 * timeout and a single attempt, and its failure becomes a coded 'connection.credentials' error.
 */
export function awsCredentials(profile: string | undefined, timeoutMs = CREDENTIALS_TIMEOUT_MS): CredentialProvider {
  // The SSO/STS clients used inside the providers: one attempt, short socket timeouts.
  const clientConfig = { maxAttempts: 1, requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } }
  const provider = profile ? fromIni({ profile, clientConfig }) : fromNodeProviderChain({ clientConfig })
  return async (options) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`credential lookup timed out after ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      return (await Promise.race([provider(options), timeout])) as Credentials
    } catch (err) {
      throw credentialsError(err, profile)
    } finally {
      clearTimeout(timer)
    }
  }
}
