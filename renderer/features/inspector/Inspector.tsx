import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import {
  AttributeJsonError,
  itemToPlain,
  parseExactJson,
  parseItemJson,
  plainToItem,
  scalarOf,
  stringifyExactJson,
} from '../../../shared/domain/attribute-json'
import { changedKeyAttributes, diffItems } from '../../../shared/domain/diff'
import { entityItemDraft, entityParams } from '../../../shared/domain/entity-item'
import type { EntitySpec } from '../../../shared/domain/model'
import {
  classifyEntity,
  entitiesForTable,
  itemId,
  keyOf,
  type KeySchemaView,
} from '../../../shared/domain/grouping'
import { ErrorNote } from '../../components/ErrorNote'
import { CodeBlock } from '../../components/JsonBlock'
import { useModalDialog } from '../../components/useModalDialog'
import { useAllowWrites } from '../connections/write-access'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { tableKeys } from '../../store/workbench.slice'

const JsonEditor = lazy(() => import('./JsonEditor'))

type Mode = 'plain' | 'dynamodb'

// Exact JSON both ways, so a 38-digit number stays a number literal in plain mode and is saved as typed.
const render = (item: ItemJson, mode: Mode) =>
  stringifyExactJson(mode === 'plain' ? itemToPlain(item) : item, 2)

/** Parses the editor text into DynamoDB JSON, or says what is wrong (and where). */
function parseText(
  text: string,
  mode: Mode,
  hint: ItemJson | undefined,
  keys: KeySchemaView,
): ItemJson | string {
  let json: unknown
  try {
    json = parseExactJson(text)
  } catch (err) {
    return `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`
  }
  try {
    const item = mode === 'plain' ? plainToItem(json, hint) : parseItemJson(json)
    for (const k of [keys.partitionKey, keys.sortKey]) {
      if (!k) continue
      const av = item[k.name]
      if (!av) return `The key attribute ${k.name} is missing.`
      if (scalarOf(av, k.type) === undefined) return `The key attribute ${k.name} must be of type ${k.type}.`
    }
    return item
  } catch (err) {
    if (err instanceof AttributeJsonError) return err.message
    throw err
  }
}

interface Draft {
  /** The stored item the edit started from: the condition of the save. */
  base: ItemJson
  baseId: string
  text: string
  mode: Mode
}

export function Inspector() {
  const s = useAppStore(
    useShallow((st) => ({
      item: st.selectedItem,
      detail: st.detail,
      model: st.model,
      theme: st.theme,
      connection: st.connections.find((c) => c.id === st.activeConnectionId),
      saveItem: st.saveItem,
      deleteItem: st.deleteItem,
      loadItems: st.loadItems,
      inspected: st.inspected,
      inspect: st.inspect,
      creating: st.creatingItem,
    })),
  )
  const keys = useMemo(() => (s.detail ? tableKeys(s.detail) : undefined), [s.detail])
  const allow = useAllowWrites()
  const [draft, setDraft] = useState<Draft | undefined>()
  const [error, setError] = useState<UiError | undefined>()
  const [notice, setNotice] = useState<string | undefined>()
  const [confirm, setConfirm] = useState<'keys' | 'delete' | undefined>()
  const [busy, setBusy] = useState(false)

  // A different item resets the editor; the same item arriving again (a reload) keeps what the user typed.
  const selectedId = s.item && keys ? itemId(s.item, keys) : undefined
  const [shownId, setShownId] = useState<string | undefined>()
  const [shownItem, setShownItem] = useState<ItemJson | undefined>()
  if (selectedId === shownId && s.item !== shownItem) {
    setShownItem(s.item)
    // A fresh copy of the same item: follow it unless the user has typed something.
    if (s.item && draft && draft.text === render(draft.base, draft.mode))
      setDraft({ ...draft, base: s.item, text: render(s.item, draft.mode) })
  }
  if (selectedId !== shownId) {
    setShownItem(s.item)
    setShownId(selectedId)
    setDraft(
      s.item && selectedId
        ? {
            base: s.item,
            baseId: selectedId,
            text: render(s.item, draft?.mode ?? 'plain'),
            mode: draft?.mode ?? 'plain',
          }
        : undefined,
    )
    setError(undefined)
    setNotice(undefined)
  }

  const readOnly = s.connection?.readOnly ?? false
  const parsed = draft && keys ? parseText(draft.text, draft.mode, draft.base, keys) : undefined
  const valid = parsed !== undefined && typeof parsed !== 'string'
  const dirty = Boolean(
    draft && parsed && typeof parsed !== 'string' && diffItems(draft.base, parsed).status !== 'unchanged',
  )
  const keyChanges = draft && keys && valid ? changedKeyAttributes(draft.base, parsed, keys) : []
  // Revert works on the text, so it is there even when the text is not valid JSON.
  const edited = draft !== undefined && draft.text !== render(draft.base, draft.mode)
  const editDraft = (text: string) => {
    if (text === draft?.text) return
    setDraft((d) => (d ? { ...d, text } : d))
    // What the last save or error said is about a text that is gone; a conflict keeps its choices.
    setNotice(undefined)
    setError((e) => (e?.code === 'item.conflict' || e?.code === 'dynamodb.conditionFailed' ? e : undefined))
  }

  const doSave = useCallback(
    async (replace: boolean) => {
      if (!draft || !keys || typeof parsed !== 'object') return
      setBusy(true)
      setError(undefined)
      setNotice(undefined)
      try {
        const saved = await s.saveItem(parsed, draft.base, replace ? keyOf(draft.base, keys) : undefined)
        const id = itemId(saved, keys)
        setShownId(id)
        setDraft({ base: saved, baseId: id, text: render(saved, draft.mode), mode: draft.mode })
        setNotice(replace ? 'Saved: the old item was deleted and the new one put.' : 'Saved.')
      } catch (err) {
        setError(toUiError(err))
      } finally {
        setBusy(false)
      }
    },
    [draft, keys, parsed, s],
  )

  const save = useCallback(() => {
    if (!valid || readOnly || busy) return
    if (keyChanges.length) setConfirm('keys')
    else void doSave(false)
  }, [valid, readOnly, busy, keyChanges.length, doSave])

  // Ctrl+S anywhere in the inspector (Monaco handles it inside the editor).
  const rootRef = useRef<HTMLElement>(null)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Inside Monaco its own Ctrl+S command saves; handling it here too would save twice.
      if (e.target instanceof HTMLElement && e.target.closest('.monaco-editor')) return
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && draft) {
        e.preventDefault()
        save()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [save, draft])

  const inspectedBlock = s.inspected ? (
    <section aria-label={`Inspecting ${s.inspected.title}`} className="pad inspected">
      <div className="toolbar">
        <strong className="grow">{s.inspected.title}</strong>
        <button type="button" className="subtle" onClick={() => s.inspect(undefined)}>
          Close
        </button>
      </div>
      <CodeBlock code={JSON.stringify(s.inspected.value, null, 2)} label={s.inspected.title} />
    </section>
  ) : null

  if (s.creating && !s.item && keys && s.detail) {
    return (
      <aside aria-label="Inspector" className="inspector" ref={rootRef}>
        <h2 className="panel-title">Inspector</h2>
        {inspectedBlock}
        <NewItem
          keys={keys}
          tableName={s.detail.name}
          readOnly={readOnly}
          theme={s.theme}
          entities={(s.model?.entities ?? []).filter((e) => e.table === s.detail?.name)}
          keyTypes={Object.fromEntries(s.detail.attributeDefinitions.map((d) => [d.name, d.type]))}
        />
      </aside>
    )
  }
  if (!s.item || !draft || !keys || !s.detail) {
    return (
      <aside aria-label="Inspector" className="inspector" ref={rootRef}>
        <h2 className="panel-title">Inspector</h2>
        {inspectedBlock}
        {s.inspected ? null : (
          <p className="muted pad">
            Select an item in the visualizer or a pattern result, or inspect a timeline step, to see it here.
          </p>
        )}
      </aside>
    )
  }

  const entity = s.model
    ? classifyEntity(draft.base, entitiesForTable(s.model.entities, s.detail.name))
    : undefined
  const switchMode = (mode: Mode) => {
    if (mode === draft.mode) return
    if (typeof parsed === 'string') {
      setError({ code: 'input.invalid', message: `Fix the JSON before switching views: ${parsed}` })
      return
    }
    setDraft({ ...draft, mode, text: render(parsed ?? draft.base, mode) })
  }
  const conflict = error?.code === 'item.conflict' || error?.code === 'dynamodb.conditionFailed'

  return (
    <aside aria-label="Inspector" className="inspector" ref={rootRef}>
      <h2 className="panel-title">Inspector</h2>
      {inspectedBlock}
      <div className="pad">
        <div className="inspector-head">
          <span className="entity" style={{ borderLeftColor: entity?.colour }}>
            {entity?.name ?? 'Item'}
          </span>
          <code className="ellipsis" title={draft.baseId}>
            {Object.values(keyOf(draft.base, keys))
              .map((v) => scalarOf(v, 'S') ?? scalarOf(v, 'N') ?? '')
              .join(' · ')}
          </code>
        </div>
        <div role="radiogroup" aria-label="Item format" className="segmented">
          {(['plain', 'dynamodb'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={draft.mode === m}
              onClick={() => switchMode(m)}
            >
              {m === 'plain' ? 'Plain JSON' : 'DynamoDB JSON'}
            </button>
          ))}
        </div>
        {readOnly ? (
          <div role="note" aria-label="Read-only connection" className="readonly-note">
            Read-only: {s.connection?.name} is an AWS connection, and AWS connections open read-only so
            nothing changes by accident. Editing is off.{' '}
            <button type="button" disabled={allow.checking} onClick={allow.requestAllow}>
              Allow writes on this connection…
            </button>
            {allow.allowError ? <ErrorNote error={allow.allowError} /> : null}
            {allow.allowDialog}
          </div>
        ) : null}
      </div>
      <div className="editor-box">
        <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
          <JsonEditor
            value={draft.text}
            onChange={editDraft}
            readOnly={readOnly}
            label="Item JSON"
            theme={s.theme}
            onSave={save}
          />
        </Suspense>
      </div>
      <div className="pad">
        <p role="status" aria-label="Validation" className={valid ? 'small ok' : 'small bad'}>
          {typeof parsed === 'string' ? parsed : dirty ? 'Valid — unsaved changes.' : 'Valid.'}
        </p>
        {keyChanges.length ? (
          <p className="small warn">
            You changed the key ({keyChanges.join(', ')}). DynamoDB cannot update key attributes: saving
            deletes the item at the old key and puts a new one.
          </p>
        ) : null}
        {error ? (
          <ErrorNote
            error={error}
            hint={
              conflict
                ? 'Someone changed this item after you opened it. Discard your edit and load the stored item, or keep your edit over it.'
                : error.code === 'connection.readOnly'
                  ? 'Allow writes on this connection to save.'
                  : undefined
            }
          />
        ) : null}
        {conflict ? (
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setShownId(undefined)
                setError(undefined)
                void s.loadItems()
              }}
            >
              Discard my edit and load the stored item
            </button>
            <button
              type="button"
              onClick={() => {
                // Save over: take the stored version as the new condition, keep the edit.
                void s.loadItems().then(() => {
                  const stored = useAppStore.getState().selectedItem
                  if (stored) setDraft((d) => (d ? { ...d, base: stored } : d))
                  setError(undefined)
                })
              }}
            >
              Keep my edit over the stored item
            </button>
          </div>
        ) : null}
        {notice ? (
          <p role="status" className="small ok">
            {notice}
          </p>
        ) : null}
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!valid || !dirty || readOnly || busy}
            onClick={save}
            title="Ctrl+S"
          >
            Save item
          </button>
          <button
            type="button"
            disabled={!edited || busy}
            onClick={() => {
              setDraft({ ...draft, text: render(draft.base, draft.mode) })
              setNotice(undefined)
              setError(undefined)
            }}
          >
            Revert
          </button>
          <span className="grow" />
          <button
            type="button"
            className="danger subtle"
            disabled={readOnly || busy}
            onClick={() => setConfirm('delete')}
          >
            Delete item
          </button>
        </div>
      </div>
      {confirm ? (
        <SimpleConfirm
          title={confirm === 'keys' ? 'Change the key?' : 'Delete this item?'}
          body={
            confirm === 'keys'
              ? `DynamoDB cannot update key attributes (${keyChanges.join(', ')}). Tablewright will delete the item at its old key and put the edited item, in one transaction where the endpoint supports it.`
              : 'The item is deleted only if nobody changed it since you opened it. This cannot be undone.'
          }
          actionLabel={confirm === 'keys' ? 'Delete and put' : 'Delete'}
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => {
            const what = confirm
            setConfirm(undefined)
            if (what === 'keys') void doSave(true)
            else {
              setBusy(true)
              s.deleteItem(keyOf(draft.base, keys), draft.base)
                .catch((e: unknown) => setError(toUiError(e)))
                .finally(() => setBusy(false))
            }
          }}
        />
      ) : null}
    </aside>
  )
}

/** A draft of a new item: its key attributes to fill in, saved only if no item has that key yet. */
function NewItem(props: {
  keys: KeySchemaView
  tableName: string
  readOnly: boolean
  theme: 'light' | 'dark'
  /** The model's entities stored in this table: a draft can start from one's key templates and attributes. */
  entities: EntitySpec[]
  keyTypes: Record<string, string>
}) {
  const { keys } = props
  const template = useMemo(() => {
    const plain: Record<string, string | number> = {}
    for (const k of [keys.partitionKey, keys.sortKey]) if (k) plain[k.name] = k.type === 'N' ? 0 : ''
    return JSON.stringify(plain, null, 2)
  }, [keys])
  const [text, setText] = useState(template)
  const [error, setError] = useState<UiError | undefined>()
  const [busy, setBusy] = useState(false)
  const [entityName, setEntityName] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const entity = props.entities.find((e) => e.name === entityName)
  const params = entity ? entityParams(entity) : []
  const [missing, setMissing] = useState<string[]>([])
  const fromEntity = (name: string, next: Record<string, string>) => {
    const e = props.entities.find((x) => x.name === name)
    setEntityName(name)
    setValues(next)
    setError(undefined)
    if (!e) {
      setText(template)
      setMissing([])
      return
    }
    const draft = entityItemDraft(e, next, props.keyTypes)
    setText(draft.text)
    setMissing(draft.missing)
  }
  const parsed = parseText(text, 'plain', undefined, keys)
  const valid = typeof parsed !== 'string' && missing.length === 0
  const create = () => {
    if (!valid || props.readOnly || busy) return
    setBusy(true)
    setError(undefined)
    useAppStore
      .getState()
      .saveItem(parsed, undefined, undefined, true)
      .catch((e: unknown) => setError(toUiError(e)))
      .finally(() => setBusy(false))
  }
  return (
    <section aria-label="New item" className="new-item">
      <div className="pad">
        <div className="inspector-head">
          <strong>New item in {props.tableName}</strong>
        </div>
      </div>
      {props.entities.length > 0 ? (
        <div className="pad new-item-entity">
          <label>
            Start from entity{' '}
            <select value={entityName} onChange={(e) => fromEntity(e.target.value, values)}>
              <option value="">(none: keys only)</option>
              {props.entities.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
          {params.map((p) => (
            <label key={p}>
              {p}{' '}
              <input
                value={values[p] ?? ''}
                onChange={(e) => fromEntity(entityName, { ...values, [p]: e.target.value })}
              />
            </label>
          ))}
        </div>
      ) : null}
      <div className="editor-box">
        <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
          <JsonEditor
            value={text}
            onChange={(t) => {
              setText(t)
              setError(undefined)
              // Typed by hand: the draft is the user's now, whatever the entity's parameters say.
              setMissing([])
            }}
            readOnly={props.readOnly}
            label="New item JSON"
            theme={props.theme}
            onSave={create}
          />
        </Suspense>
      </div>
      <div className="pad">
        <p role="status" aria-label="Validation" className={valid ? 'small ok' : 'small bad'}>
          {typeof parsed === 'string'
            ? parsed
            : missing.length > 0
              ? `Fill in ${missing.join(', ')} for the ${entityName} keys.`
              : 'Valid.'}
        </p>
        {error ? <ErrorNote error={error} /> : null}
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!valid || props.readOnly || busy}
            onClick={create}
            title="Ctrl+S"
          >
            Create item
          </button>
          <button type="button" onClick={() => useAppStore.getState().cancelNewItem()}>
            Cancel
          </button>
        </div>
      </div>
    </section>
  )
}

function SimpleConfirm(props: {
  title: string
  body: string
  actionLabel: string
  onConfirm(): void
  onCancel(): void
}) {
  const ref = useModalDialog()
  return (
    <dialog ref={ref} className="dialog" aria-label={props.title} onCancel={props.onCancel}>
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onConfirm} autoFocus>
          {props.actionLabel}
        </button>
      </div>
    </dialog>
  )
}
