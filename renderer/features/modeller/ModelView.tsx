import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ModelSourceView } from '../../../shared/contract/channels/models'
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
import { useAppStore } from '../../store/store'
import { CheckBadge, useHasCheck } from '../check/CheckBadge'
import { useTakeDraft } from './draft-handoff'
import { DiffPanel } from './DiffPanel'
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

function ModelSourceEditor() {
  const { open, theme } = useAppStore(useShallow((st) => ({ open: st.openModel, theme: st.theme })))
  const [source, setSource] = useState<ModelSourceView>()
  const [draft, setDraft] = useState('')
  const [issues, setIssues] = useState<Issue[]>([])
  const [error, setError] = useState<UiError>()
  const [status, setStatus] = useState('')
  const [saveAsPath, setSaveAsPath] = useState('')
  const [confirmOverwrite, setConfirmOverwrite] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [changedOnDisk, setChangedOnDisk] = useState(false)
  const api = useRef<EditorApi | undefined>(undefined)
  const [fromTable, setFromTable] = useState(false)
  const dirty = source !== undefined && draft !== source.text
  const dirtyRef = useRef(dirty)
  useEffect(() => {
    dirtyRef.current = dirty
  }, [dirty])

  const load = useCallback(async (modelId: string) => {
    try {
      const src = await call('models:source', { modelId })
      setSource(src)
      setDraft(src.text)
      setChangedOnDisk(false)
      setError(undefined)
    } catch (err) {
      setError(toUiError(err))
    }
  }, [])

  // A reload of the open file (saved here or in the user's own editor) refreshes the text unless it has edits.
  useEffect(() => {
    if (!open) return
    if (source?.modelId === open.modelId && dirtyRef.current) setChangedOnDisk(true)
    else void load(open.modelId)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open?.modelId, open?.revision, load])

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
  // A model reverse-engineered from a live table, or a pattern added from the Query tab, becomes the draft.
  useTakeDraft(source, (p) => {
    if (p.newModel) setSource((s) => s && { ...s, file: undefined, text: '', saveInPlace: false })
    setDraft(p.text)
    setStatus(p.status)
  })
  const fromTemplate = (id: ModelTemplateId) => {
    if (!source) return
    // A new model has no file yet: it is an unsaved draft until Save As.
    setSource({ ...source, file: undefined, text: '', saveInPlace: false })
    setDraft(JSON.stringify(MODEL_TEMPLATES[id].model, null, 2) + '\n')
    setStatus(`New model from the "${MODEL_TEMPLATES[id].label}" template: Save As to a file to open it.`)
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
        <button type="button" onClick={() => api.current?.undo()} aria-label="Undo">
          Undo
        </button>
        <button type="button" onClick={() => api.current?.redo()} aria-label="Redo">
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
          onClick={() => source && setDraft(source.text)}
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
        {source ? (
          <Suspense fallback={<p className="muted">Loading editor…</p>}>
            <ModelJsonEditor
              value={draft}
              onChange={(v) => {
                setDraft(v)
                setStatus('')
              }}
              onSave={saveInPlace}
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
