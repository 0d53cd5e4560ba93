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
    // IAM Identity Center profiles name an sso_session (or, the legacy way, an sso_start_url).
    const sso = Boolean(values.sso_session || values.sso_start_url)
    out.set(name, { name, ...(values.region ? { region: values.region } : {}), ...(sso ? { sso } : {}) })
  }
  for (const [name] of parseIni(await readOptional(awsCredentialsFile(env))))
    if (!out.has(name)) out.set(name, { name })
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** How long a credential lookup may take: an SSO or credential_process call must fail, not hang. */
export const CREDENTIALS_TIMEOUT_MS = 10_000

/** Why a credential lookup failed, as far as the fix is concerned. */
export type CredentialsFailure = 'sso' | 'process' | 'not-found' | 'timeout' | 'other'

/** Where the provider's raw text goes: the main process's log, never the renderer. */
export type CredentialsLog = (line: string) => void
const logToStderr: CredentialsLog = (line) => console.error(line)

/**
 * Turns a credential provider failure into 'connection.credentials' with a message built only from the profile
 * name and the fix. The provider's own text is never part of it: a failing credential_process puts its command
 * line and stderr there, and either can hold a token. That text is handed to `log` (main's log) instead.
 */
export function credentialsError(
  err: unknown,
  profile: string | undefined,
  log: CredentialsLog = logToStderr,
): WorkbenchError {
  const raw = (err instanceof Error ? err.message : String(err)).trim()
  const who = profile ? `profile "${profile}"` : 'the default credential chain'
  log(`[aws-credentials] ${who}: ${raw}`)
  let reason: CredentialsFailure
  let message: string
  if (/credential_process|^Command failed/i.test(raw)) {
    reason = 'process'
    message =
      `The credential_process of ${who} failed. ` +
      `Run that command in a terminal to see why (it is in ${awsConfigFile()}), fix it, and connect again.`
  } else if (/timed out/i.test(raw)) {
    reason = 'timeout'
    message = `Getting AWS credentials for ${who} took too long. Check ${who} with \`aws sts get-caller-identity${profile ? ` --profile ${profile}` : ''}\`.`
  } else if (/sso|token/i.test(raw) && /expired|invalid|refresh|not found|could not/i.test(raw)) {
    reason = 'sso'
    message = `The SSO session of ${who} is missing or expired. Run \`aws sso login${profile ? ` --profile ${profile}` : ''}\` and try again.`
  } else if (/could not (load|resolve) credentials|unable to find|not found|no credentials/i.test(raw)) {
    reason = 'not-found'
    message = profile
      ? `No AWS credentials found for ${who}. Check that it exists in ${awsConfigFile()} or ${awsCredentialsFile()}.`
      : 'No AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pick a named profile.'
  } else {
    reason = 'other'
    message = `Could not get AWS credentials for ${who}. Check it with \`aws sts get-caller-identity${profile ? ` --profile ${profile}` : ''}\`.`
  }
  return new WorkbenchError('connection.credentials', message, { profile, reason })
}

/**
 * AWS credentials for a named profile (fromIni: static keys, SSO sessions, credential_process, assume-role)
 * or, without one, the Node provider chain (environment variables first). Every lookup is bounded by a
 * timeout and a single attempt, and its failure becomes a coded 'connection.credentials' error.
 */
export function awsCredentials(
  profile: string | undefined,
  timeoutMs = CREDENTIALS_TIMEOUT_MS,
  log: CredentialsLog = logToStderr,
): CredentialProvider {
  // The SSO/STS clients used inside the providers: one attempt, short socket timeouts.
  const clientConfig = { maxAttempts: 1, requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } }
  const provider = profile ? fromIni({ profile, clientConfig }) : fromNodeProviderChain({ clientConfig })
  return async (options) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`credential lookup timed out after ${timeoutMs} ms`)),
        timeoutMs,
      )
    })
    try {
      return (await Promise.race([provider(options), timeout])) as Credentials
    } catch (err) {
      throw credentialsError(err, profile, log)
    } finally {
      clearTimeout(timer)
    }
  }
}
