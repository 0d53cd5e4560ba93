import { useEffect, useId, useState } from 'react'
import type {
  AwsProfileSummary,
  ConnectionProfileInput,
  ConnectionTestResult,
  ConnectionView,
} from '../../../shared/contract/channels/connections'
import { endpointProblem } from '../../../shared/domain/endpoint'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { useModalDialog } from '../../components/useModalDialog'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'

type Kind = 'dynamodb-local' | 'aws' | 'custom'

const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'dynamodb-local', label: 'DynamoDB Local', hint: 'A DynamoDB Local you run (Docker or the jar).' },
  { kind: 'aws', label: 'AWS', hint: 'Your account, signed with a profile from ~/.aws. Opens read-only.' },
  {
    kind: 'custom',
    label: 'Custom endpoint',
    hint: 'Any DynamoDB-compatible endpoint: ScyllaDB Alternator, LocalStack, a shared DynamoDB Local.',
  },
]

const ENDPOINT_EXAMPLE: Record<Kind, string> = {
  'dynamodb-local': 'http://localhost:8000',
  aws: 'empty: the region’s AWS endpoint',
  custom: 'http://localhost:4566',
}

interface Draft {
  kind: Kind
  name: string
  endpoint: string
  region: string
  accessKeyId: string
  profile: string
}

function draftOf(c: ConnectionView | undefined): Draft {
  const kind: Kind = c && c.kind !== 'embedded' ? c.kind : 'dynamodb-local'
  return {
    kind,
    name: c?.name ?? '',
    endpoint: c?.endpoint ?? '',
    region: c?.region ?? 'us-east-1',
    accessKeyId: c?.accessKeyId ?? (kind === 'aws' ? '' : 'local'),
    profile: c?.profile ?? '',
  }
}

/** The draft as the contract takes it; fields that do not apply to the kind are left out. */
function inputOf(d: Draft, id: string | undefined): ConnectionProfileInput {
  const endpoint = d.endpoint.trim()
  return {
    ...(id ? { id } : {}),
    name: d.name.trim(),
    kind: d.kind,
    region: d.region.trim() || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    ...(d.kind !== 'aws' && d.accessKeyId.trim() ? { accessKeyId: d.accessKeyId.trim() } : {}),
    ...(d.kind !== 'dynamodb-local' && d.profile ? { profile: d.profile } : {}),
  }
}

/** What is wrong with the draft before it is sent anywhere, in plain words. */
function draftProblem(d: Draft): { field: 'name' | 'endpoint'; message: string } | undefined {
  if (!d.name.trim()) return { field: 'name', message: 'Give the connection a name.' }
  const endpoint = d.endpoint.trim()
  if (d.kind === 'custom' && !endpoint)
    return {
      field: 'endpoint',
      message: `A custom connection needs its endpoint, e.g. ${ENDPOINT_EXAMPLE.custom}.`,
    }
  const problem = endpoint ? endpointProblem(endpoint) : undefined
  if (problem) return { field: 'endpoint', message: problem[0]!.toUpperCase() + problem.slice(1) + '.' }
  return undefined
}

/**
 * Adding, editing, testing and removing a saved connection, in a modal dialog. The renderer only ever holds names,
 * endpoints, regions and profile names: credentials stay in the AWS shared files, read by the services.
 */
export function ConnectionForm({ editing, onClose }: { editing?: ConnectionView; onClose(): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing))
  const [profiles, setProfiles] = useState<AwsProfileSummary[]>()
  const [profilesError, setProfilesError] = useState<UiError>()
  const [test, setTest] = useState<ConnectionTestResult | 'running'>()
  const [error, setError] = useState<UiError>()
  const [shownProblem, setShownProblem] = useState<ReturnType<typeof draftProblem>>()
  const [busy, setBusy] = useState(false)
  const dialog = useModalDialog()
  const id = useId()
  const loadConnections = useAppStore((s) => s.loadConnections)
  const needsProfiles = draft.kind !== 'dynamodb-local'
  useEffect(() => {
    if (!needsProfiles || profiles) return
    call('connections:awsProfiles', {})
      .then(setProfiles)
      .catch((err: unknown) => setProfilesError(toUiError(err)))
  }, [needsProfiles, profiles])

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    // A result or a complaint about the draft as it was would mislead once it changes.
    setTest(undefined)
    setError(undefined)
    setShownProblem(undefined)
  }
  const check = () => {
    const problem = draftProblem(draft)
    setShownProblem(problem)
    return problem === undefined
  }
  const runTest = async () => {
    if (!check()) return
    setTest('running')
    try {
      setTest(await call('connections:test', inputOf(draft, editing?.id)))
    } catch (err) {
      setTest(undefined)
      setError(toUiError(err))
    }
  }
  const save = async () => {
    if (!check()) return
    setBusy(true)
    try {
      await call('connections:save', inputOf(draft, editing?.id))
      await loadConnections()
      onClose()
    } catch (err) {
      setError(toUiError(err))
    } finally {
      setBusy(false)
    }
  }
  const remove = async () => {
    if (!editing) return
    setBusy(true)
    try {
      await call('connections:remove', { connectionId: editing.id })
      await loadConnections()
      onClose()
    } catch (err) {
      setError(toUiError(err))
    } finally {
      setBusy(false)
    }
  }

  const selected = profiles?.find((p) => p.name === draft.profile)
  const field = (name: string) => `${id}-${name}`
  const invalid = (name: 'name' | 'endpoint') => shownProblem?.field === name
  const title = editing ? `Edit connection ${editing.name}` : 'Add a connection'
  return (
    <dialog ref={dialog} className="dialog connection-form" aria-label={title} onCancel={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h2>{title}</h2>
        <fieldset className="inline">
          <legend>Kind</legend>
          {KINDS.map((k) => (
            <label key={k.kind} title={k.hint}>
              <input
                type="radio"
                name={field('kind')}
                value={k.kind}
                checked={draft.kind === k.kind}
                onChange={() =>
                  set({
                    kind: k.kind,
                    accessKeyId: k.kind === 'aws' ? '' : draft.accessKeyId || 'local',
                  })
                }
              />{' '}
              {k.label}
            </label>
          ))}
        </fieldset>
        <p className="muted small">{KINDS.find((k) => k.kind === draft.kind)?.hint}</p>
        <div className="field-row">
          <label htmlFor={field('name')}>Name</label>
          <input
            id={field('name')}
            value={draft.name}
            autoFocus
            aria-invalid={invalid('name') || undefined}
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <div className="field-row">
          <label htmlFor={field('endpoint')}>
            Endpoint{draft.kind === 'aws' ? <span className="muted small"> (optional override)</span> : null}
          </label>
          <input
            id={field('endpoint')}
            value={draft.endpoint}
            placeholder={ENDPOINT_EXAMPLE[draft.kind]}
            spellCheck={false}
            aria-invalid={invalid('endpoint') || undefined}
            onChange={(e) => set({ endpoint: e.target.value })}
          />
        </div>
        <div className="field-row">
          <label htmlFor={field('region')}>Region</label>
          <input
            id={field('region')}
            value={draft.region}
            spellCheck={false}
            onChange={(e) => set({ region: e.target.value })}
          />
        </div>
        {draft.kind !== 'aws' ? (
          <div className="field-row">
            <label htmlFor={field('key')}>Access key id</label>
            <input
              id={field('key')}
              value={draft.accessKeyId}
              spellCheck={false}
              onChange={(e) => set({ accessKeyId: e.target.value })}
            />
            {draft.kind === 'dynamodb-local' ? (
              <span className="muted small">
                DynamoDB Local keeps one database per key id and region (unless started with -sharedDb): use
                your app’s.
              </span>
            ) : null}
          </div>
        ) : null}
        {needsProfiles ? (
          <div className="field-row">
            <label htmlFor={field('profile')}>
              AWS profile
              {draft.kind === 'custom' ? (
                <span className="muted small"> (optional, to sign requests)</span>
              ) : null}
            </label>
            <select
              id={field('profile')}
              value={draft.profile}
              onChange={(e) => {
                const p = profiles?.find((x) => x.name === e.target.value)
                set({
                  profile: e.target.value,
                  ...(p?.region && draft.kind === 'aws' ? { region: p.region } : {}),
                })
              }}
            >
              <option value="">
                {draft.kind === 'aws' ? 'the default credential chain' : 'none: sign with the access key id'}
              </option>
              {profiles?.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                  {p.sso ? ' (SSO)' : ''}
                  {p.region ? ` · ${p.region}` : ''}
                </option>
              ))}
              {draft.profile && profiles && !selected ? (
                <option value={draft.profile}>{draft.profile} (not in ~/.aws)</option>
              ) : null}
            </select>
            {profiles && profiles.length === 0 ? (
              <span className="muted small">No profiles in ~/.aws/config or ~/.aws/credentials.</span>
            ) : null}
            {selected?.sso ? (
              <span className="muted small">
                Signs in with SSO. If its session is missing or expired, run{' '}
                <code>aws sso login --profile {selected.name}</code> in a terminal, then Test again.
              </span>
            ) : null}
            {profilesError ? <ErrorNote error={profilesError} /> : null}
          </div>
        ) : null}
        {draft.kind === 'aws' ? (
          <p className="muted small">
            Opens read-only: writes are allowed per connection, with a typed confirmation.
          </p>
        ) : null}
        {shownProblem ? (
          <p role="alert" className="bad small">
            {shownProblem.message}
          </p>
        ) : null}
        <p role="status" aria-label="Test result" className="small">
          {test === 'running' ? (
            'Testing: one ListTables…'
          ) : test ? (
            <span className={test.ok ? 'ok' : 'bad'}>
              {test.ok ? 'OK' : 'Failed'}: {test.message}
            </span>
          ) : null}
        </p>
        {error ? <ErrorNote error={error} /> : null}
        <div className="dialog-actions">
          {editing && !editing.builtIn ? (
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              Remove connection
            </button>
          ) : null}
          <span className="grow" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={test === 'running'} onClick={() => void runTest()}>
            Test
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </dialog>
  )
}
