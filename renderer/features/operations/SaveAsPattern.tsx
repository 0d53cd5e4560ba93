import { useId, useMemo, useState, type FormEvent } from 'react'
import { createPortal } from 'react-dom'
import { useShallow } from 'zustand/react/shallow'
import type { OperationSpec } from '../../../shared/contract/channels/operations'
import { parseExactJson, stringifyExactJson } from '../../../shared/domain/attribute-json'
import { parseModel, type Model } from '../../../shared/domain/model'
import {
  addPatternToModelJson,
  liftOperation,
  LiftError,
  type LiftResult,
} from '../../../shared/domain/save-as-pattern'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { useModalDialog } from '../../components/useModalDialog'
import { toUiError, type UiError } from '../../store/connections.slice'
import { draftOnShow } from '../../store/model-draft.slice'
import { useAppStore } from '../../store/store'

const SAVABLE = new Set(['Query', 'Scan', 'GetItem'])

/** The builder's spec in the shape the lifting logic reads (a GetItem key parsed with exact numbers). */
function liftable(spec: OperationSpec) {
  let key: Record<string, unknown> | undefined
  if (spec.operation === 'GetItem' && spec.key) {
    const parsed = parseExactJson(spec.key)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new LiftError('the key is a JSON object', 'key')
    key = parsed as Record<string, unknown>
  }
  return { ...spec, key }
}

function lift(model: Model, spec: OperationSpec, name: string, description: string): LiftResult {
  return liftOperation(model, liftable(spec), { name, description })
}

/**
 * "Save as access pattern": the current Query, Scan or GetItem becomes an access pattern of the open model, its
 * literal key values lifted into parameters (shared/domain/save-as-pattern). The pattern is added to the model's
 * draft in the Model tab (unsaved until the user saves there, through the conflict-aware models:save).
 */
export function SaveAsPattern(props: { spec: OperationSpec }) {
  const { model, open } = useAppStore(useShallow((st) => ({ model: st.model, open: st.openModel })))
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [error, setError] = useState<UiError>()
  const [busy, setBusy] = useState(false)
  const [added, setAdded] = useState<string>()
  const dialog = useModalDialog(editing)
  const nameId = useId()
  const descriptionId = useId()

  // A preview against the open model: the parameters the pattern will have, or why it cannot be saved.
  const preview = useMemo((): { result?: LiftResult; problem?: LiftError } => {
    if (!editing || !model) return {}
    try {
      return { result: lift(model, props.spec, name.trim() || 'pattern', description) }
    } catch (err) {
      if (err instanceof LiftError) return { problem: err }
      return { problem: new LiftError((err as Error).message) }
    }
  }, [editing, model, props.spec, name, description])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // The dialog is portalled out of the builder's form, but React events still bubble to it: not a Run.
    e.stopPropagation()
    if (!open || !name.trim()) return
    setBusy(true)
    setError(undefined)
    try {
      // The pattern goes into the open model's draft, with its unsaved edits; without one, into the saved text.
      const st = useAppStore.getState()
      const kept = draftOnShow(st, open) !== 'load' ? st.draftSource : undefined
      const source = kept ?? {
        ...(await call('models:source', { modelId: open.modelId })),
        revision: open.revision,
      }
      const json = parseExactJson(kept ? st.modelDraft.text : source.text) as Record<string, unknown>
      const parsed = parseModel(json)
      if (!parsed.ok)
        throw new LiftError(
          `the model draft has problems (${parsed.issues[0]?.path}: ${parsed.issues[0]?.message}); fix it in the Model tab first`,
        )
      const r = lift(parsed.model, props.spec, name, description)
      const text = stringifyExactJson(addPatternToModelJson(json, r.pattern), 2) + '\n'
      const checked = await call('models:validate', { text })
      if (!checked.valid)
        throw new LiftError(
          `the model would not be valid: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        )
      const params = r.params.map((p) => p.name).join(', ')
      useAppStore.getState().openDraft(text, {
        source,
        origin: 'save-as-pattern',
        notice: `Added access pattern ${String(r.pattern.id)} ("${name.trim()}")${params ? ` with parameters ${params}` : ''} from the Query tab: save the model to keep it.`,
      })
      setAdded(String(r.pattern.id))
      setEditing(false)
      setName('')
      setDescription('')
    } catch (err) {
      setError(
        err instanceof LiftError
          ? { code: 'input.invalid', message: err.field ? `${err.field}: ${err.message}` : err.message }
          : toUiError(err),
      )
    } finally {
      setBusy(false)
    }
  }

  const savable = SAVABLE.has(props.spec.operation) && Boolean(props.spec.table)
  return (
    <>
      <button
        type="button"
        disabled={!savable || !model}
        title={
          savable
            ? 'Add this operation to the open model as an access pattern'
            : 'Query, Scan or GetItem on a table'
        }
        onClick={() => {
          setError(undefined)
          setAdded(undefined)
          setEditing(true)
        }}
      >
        Save as access pattern…
      </button>
      {added ? (
        <span role="status" className="muted small" aria-label="Pattern added">
          Added {added} to the model draft.{' '}
          <button type="button" onClick={() => useAppStore.getState().setTab('model')}>
            Open the Model tab to save it
          </button>
        </span>
      ) : null}
      {editing
        ? createPortal(
            <dialog
              ref={dialog}
              className="dialog"
              aria-label="Save as access pattern"
              onCancel={() => setEditing(false)}
              onClose={() => setEditing(false)}
            >
              <form onSubmit={(e) => void submit(e)}>
                <h2>Save as access pattern</h2>
                <p className="muted small">
                  Adds a {props.spec.operation} on {props.spec.table}
                  {props.spec.index ? `/${props.spec.index}` : ''} to {model?.name ?? 'the open model'}.
                </p>
                <label htmlFor={nameId}>Name</label>
                <input id={nameId} value={name} autoFocus onChange={(e) => setName(e.target.value)} />
                <label htmlFor={descriptionId}>Description (optional)</label>
                <input
                  id={descriptionId}
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                />
                {preview.problem ? (
                  <p role="alert" className="error-note">
                    {preview.problem.field ? <code>{preview.problem.field}</code> : null}{' '}
                    {preview.problem.message}
                  </p>
                ) : preview.result ? (
                  <div aria-label="Pattern preview">
                    <p className="small">
                      Id <code>{String(preview.result.pattern.id)}</code>
                      {preview.result.pattern.keyCondition ? (
                        <>
                          {' '}
                          · key condition <code>{String(preview.result.pattern.keyCondition)}</code>
                        </>
                      ) : null}
                    </p>
                    {preview.result.params.length ? (
                      <ul aria-label="Lifted parameters" className="small">
                        {preview.result.params.map((p) => (
                          <li key={p.name}>
                            <code>{p.name}</code> ({p.type}) = {String(p.value)}, from {p.attribute}
                            {p.entity ? ` through ${p.entity}'s ${p.template}` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="muted small">No parameters.</p>
                    )}
                    {preview.result.notes.map((n) => (
                      <p key={n} className="muted small">
                        {n}
                      </p>
                    ))}
                  </div>
                ) : null}
                {error ? <ErrorNote error={error} /> : null}
                <div className="dialog-actions">
                  <button type="button" onClick={() => setEditing(false)}>
                    Cancel
                  </button>
                  <button type="submit" disabled={busy || !name.trim() || Boolean(preview.problem)}>
                    Add to model
                  </button>
                </div>
              </form>
            </dialog>,
            document.body,
          )
        : null}
    </>
  )
}
