import { useId, useState, type ReactNode } from 'react'
import {
  checkTableSpec,
  MAX_GSIS,
  MAX_LSIS,
  type KeyType,
  type ProjectionType,
  type StreamViewType,
  type TableIssue,
  type TableSpec,
} from '../../../shared/domain/table-rules'
import { ErrorNote } from '../../components/ErrorNote'
import { useModalDialog } from '../../components/useModalDialog'
import type { UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'

/** What the form holds: text as typed, turned into a TableSpec for checking and sending. */
interface KeyDraft {
  name: string
  type: KeyType
}
interface IndexDraft {
  name: string
  partitionKey: KeyDraft
  sortKey: KeyDraft
  projection: ProjectionType
  include: string
  read: string
  write: string
}
interface Draft {
  name: string
  partitionKey: KeyDraft
  sortKey: KeyDraft
  gsis: IndexDraft[]
  lsis: IndexDraft[]
  billing: 'PAY_PER_REQUEST' | 'PROVISIONED'
  read: string
  write: string
  stream: 'off' | StreamViewType
}

const emptyKey = (name = ''): KeyDraft => ({ name, type: 'S' })
const emptyIndex = (): IndexDraft => ({
  name: '',
  partitionKey: emptyKey(),
  sortKey: emptyKey(),
  projection: 'ALL',
  include: '',
  read: '1',
  write: '1',
})
const INITIAL: Draft = {
  name: '',
  partitionKey: emptyKey('pk'),
  sortKey: emptyKey('sk'),
  gsis: [],
  lsis: [],
  billing: 'PAY_PER_REQUEST',
  read: '5',
  write: '5',
  stream: 'off',
}

const key = (k: KeyDraft) => ({ name: k.name.trim(), type: k.type })
const optionalKey = (k: KeyDraft) => (k.name.trim() ? key(k) : undefined)
const attrs = (text: string) =>
  text
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
const projection = (d: IndexDraft) =>
  d.projection === 'INCLUDE'
    ? { type: d.projection, nonKeyAttributes: attrs(d.include) }
    : { type: d.projection }

export function toSpec(d: Draft): TableSpec {
  const provisioned = d.billing === 'PROVISIONED'
  return {
    name: d.name.trim(),
    partitionKey: key(d.partitionKey),
    sortKey: optionalKey(d.sortKey),
    gsis: d.gsis.map((g) => ({
      name: g.name.trim(),
      partitionKey: key(g.partitionKey),
      sortKey: optionalKey(g.sortKey),
      projection: projection(g),
      ...(provisioned ? { capacity: { read: Number(g.read), write: Number(g.write) } } : {}),
    })),
    lsis: d.lsis.map((l) => ({ name: l.name.trim(), sortKey: key(l.sortKey), projection: projection(l) })),
    billing: provisioned
      ? { mode: 'PROVISIONED', read: Number(d.read), write: Number(d.write) }
      : { mode: 'PAY_PER_REQUEST' },
    stream: d.stream === 'off' ? { enabled: false } : { enabled: true, viewType: d.stream },
  }
}

/**
 * The create-table dialog: name, keys, GSIs and LSIs with their projections, billing and stream. What DynamoDB
 * would refuse is shown at the field (shared/domain/table-rules.ts) and nothing is sent until it is fixed; the
 * host checks the same rules again.
 */
export function CreateTableDialog({ onClose }: { onClose(created?: string): void }) {
  const createTable = useAppStore((s) => s.createTable)
  const [draft, setDraft] = useState<Draft>(INITIAL)
  const [tried, setTried] = useState(false)
  const [serverIssues, setServerIssues] = useState<TableIssue[]>([])
  const [error, setError] = useState<UiError | undefined>()
  const [sending, setSending] = useState(false)
  const dialog = useModalDialog()
  const base = useId()

  const spec = toSpec(draft)
  // Refusals show once the user has tried to create, then follow every change.
  const issues = tried ? [...checkTableSpec(spec), ...serverIssues] : []
  const issuesAt = (field: string) => issues.filter((i) => i.field === field)
  const update = (change: Partial<Draft>) => {
    setServerIssues([])
    setDraft({ ...draft, ...change })
  }
  const updateIndex = (kind: 'gsis' | 'lsis', i: number, change: Partial<IndexDraft>) =>
    update({ [kind]: draft[kind].map((x, j) => (j === i ? { ...x, ...change } : x)) })

  const submit = async () => {
    setTried(true)
    setError(undefined)
    if (checkTableSpec(spec).length) return
    setSending(true)
    const r = await createTable(spec)
    setSending(false)
    if (r.ok) onClose(spec.name)
    else if (r.issues.length) setServerIssues(r.issues)
    else setError(r.error)
  }

  const fieldId = (field: string) => `${base}-${field.replace(/\./g, '-')}`
  const errorId = (field: string) => `${fieldId(field)}-error`
  /** aria props that tie an input to the refusals of its field. */
  const a11y = (field: string) => {
    const bad = issuesAt(field).length > 0
    return {
      id: fieldId(field),
      'aria-invalid': bad || undefined,
      'aria-describedby': bad ? errorId(field) : undefined,
    }
  }
  const fieldError = (field: string): ReactNode => {
    const mine = issuesAt(field)
    return mine.length ? (
      <span id={errorId(field)} className="field-error" role="alert">
        {mine.map((m) => m.message).join(' ')}
      </span>
    ) : null
  }

  const keyFields = (
    field: string,
    label: string,
    value: KeyDraft,
    onChange: (k: KeyDraft) => void,
    placeholder?: string,
  ) => (
    <div className="field-row inline">
      <label htmlFor={fieldId(field)}>{label}</label>
      <input
        {...a11y(field)}
        value={value.name}
        placeholder={placeholder}
        onChange={(e) => onChange({ ...value, name: e.target.value })}
      />
      <select
        aria-label={`${label} type`}
        value={value.type}
        onChange={(e) => onChange({ ...value, type: e.target.value as KeyType })}
      >
        <option value="S">String (S)</option>
        <option value="N">Number (N)</option>
        <option value="B">Binary (B)</option>
      </select>
      {fieldError(field)}
    </div>
  )

  const projectionFields = (kind: 'gsis' | 'lsis', i: number, d: IndexDraft, label: string) => (
    <div className="field-row inline">
      <label htmlFor={fieldId(`${kind}.${i}.projection`)}>{label} projection</label>
      <select
        {...a11y(`${kind}.${i}.projection`)}
        value={d.projection}
        onChange={(e) => updateIndex(kind, i, { projection: e.target.value as ProjectionType })}
      >
        <option value="ALL">ALL</option>
        <option value="KEYS_ONLY">KEYS_ONLY</option>
        <option value="INCLUDE">INCLUDE</option>
      </select>
      {d.projection === 'INCLUDE' ? (
        <input
          aria-label={`${label} included attributes`}
          placeholder="attributes, comma separated"
          value={d.include}
          onChange={(e) => updateIndex(kind, i, { include: e.target.value })}
        />
      ) : null}
      {fieldError(`${kind}.${i}.projection`)}
    </div>
  )

  return (
    <dialog
      ref={dialog}
      className="dialog create-table"
      aria-label="Create table"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h2>Create table</h2>
        <div className="field-row inline">
          <label htmlFor={fieldId('name')}>Table name</label>
          <input
            {...a11y('name')}
            value={draft.name}
            autoFocus
            onChange={(e) => update({ name: e.target.value })}
          />
          {fieldError('name')}
        </div>
        {keyFields('partitionKey', 'Partition key', draft.partitionKey, (k) => update({ partitionKey: k }))}
        {keyFields('sortKey', 'Sort key', draft.sortKey, (k) => update({ sortKey: k }), 'none')}

        <div className="field-row inline">
          <label htmlFor={fieldId('billing')}>Billing</label>
          <select
            {...a11y('billing')}
            value={draft.billing}
            onChange={(e) => update({ billing: e.target.value as Draft['billing'] })}
          >
            <option value="PAY_PER_REQUEST">On demand</option>
            <option value="PROVISIONED">Provisioned</option>
          </select>
          {draft.billing === 'PROVISIONED' ? (
            <>
              <input
                className="narrow"
                aria-label="Read capacity units"
                inputMode="numeric"
                value={draft.read}
                onChange={(e) => update({ read: e.target.value })}
              />
              <input
                className="narrow"
                aria-label="Write capacity units"
                inputMode="numeric"
                value={draft.write}
                onChange={(e) => update({ write: e.target.value })}
              />
            </>
          ) : null}
          {fieldError('billing')}
        </div>
        <div className="field-row inline">
          <label htmlFor={fieldId('stream')}>Stream</label>
          <select
            id={fieldId('stream')}
            value={draft.stream}
            onChange={(e) => update({ stream: e.target.value as Draft['stream'] })}
          >
            <option value="off">Off</option>
            <option value="KEYS_ONLY">Keys only</option>
            <option value="NEW_IMAGE">New image</option>
            <option value="OLD_IMAGE">Old image</option>
            <option value="NEW_AND_OLD_IMAGES">New and old images</option>
          </select>
        </div>

        <fieldset aria-label="Global secondary indexes">
          <legend>
            Global secondary indexes ({draft.gsis.length} of {MAX_GSIS})
          </legend>
          {draft.gsis.map((g, i) => {
            const label = `GSI ${i + 1}`
            return (
              <div key={i} className="index-draft" role="group" aria-label={label}>
                <div className="field-row inline">
                  <label htmlFor={fieldId(`gsis.${i}.name`)}>{label} name</label>
                  <input
                    {...a11y(`gsis.${i}.name`)}
                    value={g.name}
                    onChange={(e) => updateIndex('gsis', i, { name: e.target.value })}
                  />
                  <button
                    type="button"
                    className="subtle"
                    onClick={() => update({ gsis: draft.gsis.filter((_, j) => j !== i) })}
                  >
                    Remove {label}
                  </button>
                  {fieldError(`gsis.${i}.name`)}
                </div>
                {keyFields(`gsis.${i}.partitionKey`, `${label} partition key`, g.partitionKey, (k) =>
                  updateIndex('gsis', i, { partitionKey: k }),
                )}
                {keyFields(
                  `gsis.${i}.sortKey`,
                  `${label} sort key`,
                  g.sortKey,
                  (k) => updateIndex('gsis', i, { sortKey: k }),
                  'none',
                )}
                {projectionFields('gsis', i, g, label)}
                {draft.billing === 'PROVISIONED' ? (
                  <div className="field-row inline">
                    <input
                      className="narrow"
                      aria-label={`${label} read capacity units`}
                      value={g.read}
                      onChange={(e) => updateIndex('gsis', i, { read: e.target.value })}
                    />
                    <input
                      className="narrow"
                      aria-label={`${label} write capacity units`}
                      value={g.write}
                      onChange={(e) => updateIndex('gsis', i, { write: e.target.value })}
                    />
                    {fieldError(`gsis.${i}.capacity`)}
                  </div>
                ) : null}
              </div>
            )
          })}
          {fieldError('gsis')}
          <button
            type="button"
            disabled={draft.gsis.length >= MAX_GSIS}
            onClick={() => update({ gsis: [...draft.gsis, emptyIndex()] })}
          >
            Add GSI
          </button>
        </fieldset>

        <fieldset aria-label="Local secondary indexes">
          <legend>
            Local secondary indexes ({draft.lsis.length} of {MAX_LSIS}; they share the partition key{' '}
            {draft.partitionKey.name || 'of the table'})
          </legend>
          {draft.lsis.map((l, i) => {
            const label = `LSI ${i + 1}`
            return (
              <div key={i} className="index-draft" role="group" aria-label={label}>
                <div className="field-row inline">
                  <label htmlFor={fieldId(`lsis.${i}.name`)}>{label} name</label>
                  <input
                    {...a11y(`lsis.${i}.name`)}
                    value={l.name}
                    onChange={(e) => updateIndex('lsis', i, { name: e.target.value })}
                  />
                  <button
                    type="button"
                    className="subtle"
                    onClick={() => update({ lsis: draft.lsis.filter((_, j) => j !== i) })}
                  >
                    Remove {label}
                  </button>
                  {fieldError(`lsis.${i}.name`)}
                </div>
                {keyFields(`lsis.${i}.sortKey`, `${label} sort key`, l.sortKey, (k) =>
                  updateIndex('lsis', i, { sortKey: k }),
                )}
                {projectionFields('lsis', i, l, label)}
              </div>
            )
          })}
          {fieldError('lsis')}
          <button
            type="button"
            disabled={draft.lsis.length >= MAX_LSIS}
            onClick={() => update({ lsis: [...draft.lsis, emptyIndex()] })}
          >
            Add LSI
          </button>
        </fieldset>
        {fieldError('indexes')}

        {error ? <ErrorNote error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={sending}>
            {sending ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </dialog>
  )
}
