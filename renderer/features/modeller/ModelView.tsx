import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import {
  accessPatternMatrix,
  MATRIX_COLUMNS,
  matrixCsv,
  matrixMarkdown,
  type MatrixRow,
} from '../../../shared/domain/matrix'
import { MODEL_TEMPLATES, type ModelTemplateId } from '../../../shared/domain/templates'
import { BridgeError, call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { toUiError, type UiError } from '../../store/connections.slice'
import { draftOnShow } from '../../store/model-draft.slice'
import { useAppStore } from '../../store/store'
import { CheckBadge, useHasCheck } from '../check/CheckBadge'
import { DiffPanel } from './DiffPanel'
import { ModelForms } from './forms/ModelForms'
import { FromTableDialog } from './FromTableDialog'
import type { EditorApi } from './ModelJsonEditor'

const ModelJsonEditor = lazy(() => import('./ModelJsonEditor'))

type Issue = { path: string; message: string }

/** Hands a text to the user as a file: a download in the browser host and the desktop app alike. */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/**
 * The Model tab: the access-pattern matrix of the open model (each row runnable, exportable as Markdown and CSV),
 * and its JSON in a schema-driven editor with live validation, undo/redo, an unsaved mark, Save and Save As.
 */
export function ModelView() {
  const s = useAppStore(
    useShallow((st) => ({
      model: st.model,
      open: st.openModel,
      theme: st.theme,
      patternRunning: st.patternRunning,
    })),
  )
  const rows = useMemo(() => (s.model ? accessPatternMatrix(s.model) : []), [s.model])
  const hasCheck = useHasCheck()
  const name = s.model?.name ?? 'model'

  const run = (row: MatrixRow) => {
    const st = useAppStore.getState()
    if (row.kind === 'pattern') {
      st.selectPattern(row.id)
      st.setTab('patterns')
      void st.runPattern(row.id)
    } else {
      st.selectRecipe(row.id)
      st.setTab('writes')
    }
  }

  return (
    <div className="model-view">
      <section aria-label="Access-pattern matrix" className="matrix">
        <div className="toolbar">
          <h2 className="panel-title grow">Access-pattern matrix</h2>
          <button
            type="button"
            disabled={!rows.length}
            onClick={() => download(`${name}-access-patterns.md`, matrixMarkdown(rows), 'text/markdown')}
          >
            Export Markdown
          </button>
          <button
            type="button"
            disabled={!rows.length}
            onClick={() => download(`${name}-access-patterns.csv`, matrixCsv(rows), 'text/csv')}
          >
            Export CSV
          </button>
        </div>
        {rows.length ? (
          <div className="matrix-scroll">
            <table className="grid" aria-label="Access patterns">
              <thead>
                <tr>
                  {MATRIX_COLUMNS.filter((c) => c.key !== 'scan').map((c) => (
                    <th key={c.key} scope="col">
                      {c.label}
                    </th>
                  ))}
                  {hasCheck ? <th scope="col">Check</th> : null}
                  <th scope="col">
                    <span className="sr-only">Run</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}:${r.id}`} data-scan={r.scan ? 'true' : undefined}>
                    {MATRIX_COLUMNS.filter((c) => c.key !== 'scan').map((c) => (
                      <td key={c.key}>
                        {c.key === 'operation' && r.scan ? (
                          <>
                            {r.operation}{' '}
                            <span className="badge warn" title={r.scan}>
                              Scan
                            </span>
                            <span className="muted small block">{r.scan}</span>
                          </>
                        ) : c.key === 'id' ? (
                          <code>{r.id}</code>
                        ) : (
                          String(r[c.key] ?? '')
                        )}
                      </td>
                    ))}
                    {hasCheck ? (
                      <td>
                        <CheckBadge kind={r.kind} id={r.id} />
                      </td>
                    ) : null}
                    <td>
                      <button
                        type="button"
                        aria-label={`${r.kind === 'pattern' ? 'Run pattern' : 'Open recipe'} ${r.id}`}
                        disabled={s.patternRunning === r.id}
                        onClick={() => run(r)}
                      >
                        {r.kind === 'pattern' ? 'Run' : 'Open'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">This model has no access patterns or recipes yet.</p>
        )}
      </section>
      <ModelSourceEditor />
    </div>
  )
}

/** Reads the model's saved text into the store's draft, replacing it. */
async function readSource(modelId: string): Promise<void> {
  // The revision before the read: a reload during it is seen as a newer one.
  const opened = useAppStore.getState().openModel
  const revision = opened?.modelId === modelId ? opened.revision : undefined
  const src = await call('models:source', { modelId })
  useAppStore.getState().loadModelSource({ ...src, revision })
}

function ModelSourceEditor() {
  const { open, theme } = useAppStore(useShallow((st) => ({ open: st.openModel, theme: st.theme })))
  // One draft in the store, edited by the JSON editor and the forms alike, with one undo history. It and the source
  // it edits outlive this view, so leaving the tab keeps unsaved edits, and other views can hand it a model text.
  const draft = useAppStore((st) => st.modelDraft.text)
  const source = useAppStore((st) => st.draftSource)
  const status = useAppStore((st) => st.draftNotice)
  const setStatus = (notice: string) => useAppStore.getState().setDraftNotice(notice)
  const setDraft = (text: string) => useAppStore.getState().editModelDraft(text, 'json')
  // A layout choice, kept in the store (and localStorage) so it outlives the tab like the draft does.
  const view = useAppStore((st) => st.modelEditor)
  const setView = useAppStore((st) => st.setModelEditor)
  const [issues, setIssues] = useState<Issue[]>([])
  const [error, setError] = useState<UiError>()
  const [saveAsPath, setSaveAsPath] = useState('')
  const [confirmOverwrite, setConfirmOverwrite] = useState<string>()
  const [busy, setBusy] = useState(false)
  const api = useRef<EditorApi | undefined>(undefined)
  const [fromTable, setFromTable] = useState(false)
  const dirty = source !== undefined && draft !== source.text
  // The file was reloaded (saved in the user's own editor) while the draft has edits: they stay, and a note says so.
  const changedOnDisk = useAppStore((st) => (open ? draftOnShow(st, open) === 'changed-on-disk' : false))

  const load = useCallback(
    (modelId: string) =>
      readSource(modelId).then(
        () => setError(undefined),
        (err: unknown) => setError(toUiError(err)),
      ),
    [],
  )

  // Showing the tab keeps the draft of the open model; another model, or a reload of the file (saved here or in the
  // user's own editor), reads the text afresh unless that would drop edits (then once they are undone or reverted).
  useEffect(() => {
    if (open && draftOnShow(useAppStore.getState(), open) === 'load') void load(open.modelId)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open?.modelId, open?.revision, dirty, load])

  // Live validation, a moment after typing stops.
  useEffect(() => {
    if (!source) return
    const timer = setTimeout(() => {
      call('models:validate', { text: draft })
        .then((r) => setIssues(r.issues))
        .catch((err: unknown) => setError(toUiError(err)))
    }, 250)
    return () => clearTimeout(timer)
  }, [draft, source])

  const save = async (request: { file?: string; overwrite?: boolean }) => {
    if (!source) return
    setBusy(true)
    setStatus('')
    setError(undefined)
    try {
      const view = await call('models:save', {
        modelId: source.modelId,
        text: draft,
        ...(request.file ? { file: request.file, ...(request.overwrite ? { overwrite: true } : {}) } : {}),
        ...(!request.file ? { baseSha: source.sha } : {}),
      })
      setConfirmOverwrite(undefined)
      setStatus(`Saved ${view.file ?? ''}`)
      await useAppStore.getState().modelChanged(view)
      await load(view.modelId)
    } catch (err) {
      if (err instanceof BridgeError && err.code === 'confirm.required' && request.file)
        setConfirmOverwrite(request.file)
      else setError(toUiError(err))
    } finally {
      setBusy(false)
    }
  }
  const fromTemplate = (id: ModelTemplateId) => {
    if (!source) return
    // A new model has no file yet: it is an unsaved draft until Save As.
    useAppStore.getState().openDraft(JSON.stringify(MODEL_TEMPLATES[id].model, null, 2) + '\n', {
      newModel: true,
      origin: 'template',
      notice: `New model from the "${MODEL_TEMPLATES[id].label}" template: Save As to a file to open it.`,
    })
  }
  const saveInPlace = () => {
    if (source?.saveInPlace) void save({})
    else setStatus('A built-in sample is saved with Save As: type a file path.')
  }
  const submitSaveAs = (e: FormEvent) => {
    e.preventDefault()
    if (saveAsPath.trim()) void save({ file: saveAsPath.trim() })
  }

  return (
    <section aria-label="Model JSON" className="model-source">
      <div className="toolbar">
        <h2 className="panel-title grow">
          Model JSON{' '}
          {dirty ? (
            <span className="badge" aria-label="unsaved changes" title="Unsaved changes">
              ● unsaved
            </span>
          ) : null}
        </h2>
        <label>
          <span className="sr-only">New model from a template</span>
          <select
            aria-label="New model from a template"
            value=""
            onChange={(e) =>
              e.target.value === 'live-table'
                ? setFromTable(true)
                : e.target.value && fromTemplate(e.target.value as ModelTemplateId)
            }
          >
            <option value="">New model…</option>
            {Object.entries(MODEL_TEMPLATES).map(([id, t]) => (
              <option key={id} value={id}>
                {t.label}
              </option>
            ))}
            <option value="live-table">From a live table…</option>
          </select>
        </label>
        <span className="view-switch" role="group" aria-label="Edit the model as">
          <button type="button" aria-pressed={view === 'forms'} onClick={() => setView('forms')}>
            Forms
          </button>
          <button type="button" aria-pressed={view === 'json'} onClick={() => setView('json')}>
            JSON
          </button>
        </span>
        <button type="button" onClick={() => useAppStore.getState().undoModelDraft()} aria-label="Undo">
          Undo
        </button>
        <button type="button" onClick={() => useAppStore.getState().redoModelDraft()} aria-label="Redo">
          Redo
        </button>
        <button
          type="button"
          disabled={!dirty || busy || !source?.saveInPlace || issues.length > 0}
          title={
            source?.saveInPlace ? `Save ${source.file} (Ctrl+S)` : 'A built-in sample is saved with Save As'
          }
          onClick={saveInPlace}
        >
          Save
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => source && useAppStore.getState().editModelDraft(source.text, 'revert')}
          title="Drop the edits and go back to the saved text"
        >
          Revert
        </button>
      </div>
      <form className="toolbar" onSubmit={submitSaveAs} aria-label="Save as">
        <label className="grow">
          <span className="sr-only">Save as file path</span>
          <input
            type="text"
            value={saveAsPath}
            onChange={(e) => setSaveAsPath(e.target.value)}
            placeholder="/path/to/my-model.json"
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={busy || !saveAsPath.trim() || issues.length > 0}>
          Save As
        </button>
      </form>
      {confirmOverwrite ? (
        <div role="alertdialog" aria-label="Overwrite file" className="confirm-inline">
          {confirmOverwrite} exists.{' '}
          <button type="button" onClick={() => void save({ file: confirmOverwrite, overwrite: true })}>
            Overwrite
          </button>{' '}
          <button type="button" onClick={() => setConfirmOverwrite(undefined)}>
            Cancel
          </button>
        </div>
      ) : null}
      {changedOnDisk ? (
        <div role="status" className="hint">
          The file changed on disk while you have unsaved edits.{' '}
          <button type="button" onClick={() => open && void load(open.modelId)}>
            Load from disk
          </button>
        </div>
      ) : null}
      {status ? (
        <p role="status" className="muted small">
          {status}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {fromTable ? <FromTableDialog onClose={() => setFromTable(false)} /> : null}
      {source ? <DiffPanel text={draft} valid={!issues.length} /> : null}
      {issues.length ? (
        <ul aria-label="Model problems" className="issues">
          {issues.map((i, n) => (
            <li key={n}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      ) : source ? (
        <p className="muted small" aria-label="Model validity">
          Valid model.
        </p>
      ) : null}
      <div className="model-editor">
        {source && view === 'forms' ? (
          <ModelForms issues={issues} />
        ) : source ? (
          <Suspense fallback={<p className="muted">Loading editor…</p>}>
            <ModelJsonEditor
              value={draft}
              onChange={(v) => {
                setDraft(v)
                setStatus('')
              }}
              onSave={saveInPlace}
              onUndo={() => useAppStore.getState().undoModelDraft()}
              onRedo={() => useAppStore.getState().redoModelDraft()}
              theme={theme}
              onReady={(a) => {
                api.current = a
              }}
            />
          </Suspense>
        ) : null}
      </div>
    </section>
  )
}
