import { useEffect, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { call, hostKind } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { useAppStore } from '../../store/store'

type Sample = Awaited<ReturnType<typeof call<'models:list'>>>[number]

/**
 * The open model: its name and file, the refusal of its last save (the previous good model stays open), and the
 * three ways to open another: a built-in sample, a recent file, or a file (the desktop's dialog, or a typed path).
 */
export function ModelPanel() {
  const s = useAppStore(
    useShallow((st) => ({
      open: st.openModel,
      model: st.model,
      recent: st.recentModels,
      error: st.openModelError,
      opening: st.modelOpening,
      openModelFrom: st.openModelFrom,
      openModelDialog: st.openModelDialog,
    })),
  )
  const [samples, setSamples] = useState<Sample[]>([])
  const [path, setPath] = useState('')
  useEffect(() => {
    call('models:list', {})
      .then((all) => setSamples(all.filter((m) => m.source === 'builtin')))
      .catch(() => setSamples([]))
  }, [])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (path.trim()) void s.openModelFrom({ file: path.trim() })
  }
  const choices = [
    ...samples.map((m) => ({ value: `builtin:${m.id}`, label: `${m.name} (built-in sample)` })),
    ...s.recent.map((r) => ({ value: `file:${r.file}`, label: `${r.name} — ${r.file}` })),
  ]
  const selected = s.open
    ? s.open.source === 'builtin'
      ? `builtin:${s.open.modelId}`
      : `file:${s.open.file}`
    : ''

  return (
    <section aria-label="Model" className="panel">
      <h2 className="panel-title">Model</h2>
      <div className="model-current">
        <strong aria-label="model name">{s.open?.name ?? s.model?.name ?? '…'}</strong>{' '}
        <span className="muted small block ellipsis" aria-label="model file" title={s.open?.file}>
          {s.open?.file ?? 'built-in sample'}
        </span>
        {s.model ? (
          <span className="muted small block">
            {s.model.tables.length} table{s.model.tables.length === 1 ? '' : 's'}, {s.model.entities.length}{' '}
            entit
            {s.model.entities.length === 1 ? 'y' : 'ies'}, {s.model.accessPatterns.length} pattern
            {s.model.accessPatterns.length === 1 ? '' : 's'}
            {s.open?.file ? ' · watched' : ''}
          </span>
        ) : null}
      </div>
      {s.open?.error ? (
        <div role="alert" className="error-note" aria-label="model file error">
          <code className="error-code">{s.open.error.code}</code> The last save of{' '}
          {s.open.error.file ?? 'the model'} was refused; the previous version stays open.
          {s.open.error.issues.length ? (
            <ul className="small">
              {s.open.error.issues.slice(0, 8).map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <code>{i.path}</code>: {i.message}
                </li>
              ))}
            </ul>
          ) : (
            <div className="small">{s.open.error.message}</div>
          )}
        </div>
      ) : null}
      <div className="field-row">
        <label htmlFor="model-choice" className="small muted">
          Open a sample or a recent model
        </label>
        <select
          id="model-choice"
          value={choices.some((c) => c.value === selected) ? selected : ''}
          disabled={s.opening}
          onChange={(e) => {
            const v = e.target.value
            if (v.startsWith('builtin:')) void s.openModelFrom({ modelId: v.slice('builtin:'.length) })
            else if (v.startsWith('file:')) void s.openModelFrom({ file: v.slice('file:'.length) })
          }}
        >
          {choices.some((c) => c.value === selected) ? null : <option value="">—</option>}
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <form onSubmit={submit} className="field-row">
        <label htmlFor="model-path" className="small muted">
          Model file path
        </label>
        <input
          id="model-path"
          type="text"
          placeholder="/path/to/model.json"
          spellCheck={false}
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <span>
          <button type="submit" disabled={s.opening || !path.trim()}>
            Open model
          </button>{' '}
          {hostKind === 'desktop' ? (
            <button type="button" disabled={s.opening} onClick={() => void s.openModelDialog()}>
              Choose file…
            </button>
          ) : null}
        </span>
      </form>
      {s.error ? <ErrorNote error={s.error} /> : null}
    </section>
  )
}
