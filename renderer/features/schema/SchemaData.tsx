import { useId, useRef, useState } from 'react'
import { generatorCounts } from '../../../shared/domain/generator'
import { useShallow } from 'zustand/react/shallow'
import { BridgeError, call } from '../../bridge/bridge'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNote } from '../../components/ErrorNote'
import { formatBytes } from '../../components/format'
import { OperationProgressList } from '../../components/ProgressBar'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { newOperationId } from '../../store/workbench.slice'
import { ReadOnlyReason } from '../connections/write-access'
import { SampleButton } from '../shell/EmptyStates'
import { useDropTable } from '../tables/useDropTable'
import { ImportDialog } from './ImportDialog'

/** The table definition, and the actions that change it: schema load, seed, scan, export, drop. */
export function SchemaData() {
  const s = useAppStore(
    useShallow((st) => ({
      connectionId: st.activeConnectionId,
      connection: st.connections.find((c) => c.id === st.activeConnectionId),
      modelId: st.modelId,
      model: st.model,
      detail: st.detail,
      detailError: st.detailError,
      // A failed drop (from the typed-name dialog below) lands here, shared with the overview.
      actionError: st.actionError,
      selectedTable: st.selectedTable,
      itemsState: st.itemsState,
      itemsLoaded: st.itemsLoaded,
      loadItems: st.loadItems,
      describe: st.describe,
      loadTables: st.loadTables,
      loadModel: st.loadModel,
      selectTable: st.selectTable,
    })),
  )
  const spec = s.model?.sampleData?.generator
  const countFields = spec ? generatorCounts(spec) : []
  // What the user typed, by generated entity name ('seed' for the seed); the model's values otherwise.
  const [gen, setGen] = useState<Record<string, string>>({})
  const genValue = (name: string) =>
    gen[name] ??
    String(name === 'seed' ? (spec?.seed ?? 1) : (countFields.find((c) => c.name === name)?.count ?? ''))
  const genBaseId = useId()
  const [busy, setBusy] = useState<string | undefined>()
  const [error, setError] = useState<UiError | undefined>()
  const [result, setResult] = useState<string | undefined>()
  const [confirm, setConfirm] = useState<
    { kind: 'seed'; table: string; message: string; generator: boolean } | undefined
  >()
  const { requestDrop, cancelDrop, dropDialog } = useDropTable(() => s.selectTable(undefined))
  const ids = { readOnly: useId() }
  const fileInput = useRef<HTMLInputElement>(null)
  const [importing, setImporting] = useState<{ name: string; text: string } | undefined>()

  const run = async (label: string, fn: () => Promise<string | undefined>) => {
    setBusy(label)
    setError(undefined)
    setResult(undefined)
    try {
      setResult(await fn())
    } catch (err) {
      if (err instanceof BridgeError && err.code === 'confirm.required') {
        const table = String(err.details?.table ?? s.selectedTable ?? '')
        // One dialog at a time: a seed confirmation replaces an open drop dialog.
        cancelDrop()
        setConfirm({ kind: 'seed', table, message: err.message, generator: label.includes('generator') })
      } else setError(toUiError(err))
    } finally {
      setBusy(undefined)
    }
  }
  const afterWrite = async () => {
    await s.loadTables()
    await s.describe()
    await s.loadItems()
  }
  const loadSchema = () =>
    run('Loading the schema', async () => {
      if (!s.connectionId) return undefined
      const r = await call('schema:load', {
        connectionId: s.connectionId,
        modelId: s.modelId,
        operationId: newOperationId('schema'),
      })
      await s.loadTables()
      await s.loadModel()
      if (!s.selectedTable && r.tables[0]) await s.selectTable(r.tables[0].name)
      else await s.describe()
      return r.tables
        .map(
          (t) =>
            `${t.name}: ${t.status}${t.differences.length ? ` (differs: ${t.differences.join('; ')})` : ''}`,
        )
        .join(' · ')
    })
  const seed = (useGenerator: boolean, confirmText?: string) =>
    run(useGenerator ? 'Seeding with the generator' : 'Seeding the sample items', async () => {
      if (!s.connectionId) return undefined
      const generator = useGenerator
        ? {
            seed: Number(genValue('seed')),
            counts: Object.fromEntries(countFields.map((c) => [c.name, Number(genValue(c.name))])),
          }
        : undefined
      const r = await call('data:seed', {
        connectionId: s.connectionId,
        modelId: s.modelId,
        operationId: newOperationId('seed'),
        generator,
        confirm: confirmText,
      })
      await afterWrite()
      return `Wrote ${r.written.toLocaleString()} items to ${r.tables.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s.`
    })
  // Scan counts what the table holds now; DescribeTable's ItemCount may lag (DynamoDB refreshes it periodically).
  const scan = () =>
    run('Scanning', async () => {
      const started = performance.now()
      await s.describe()
      await s.loadItems()
      const st = useAppStore.getState()
      if (st.itemsError) {
        setError(st.itemsError)
        return undefined
      }
      return `Scanned ${st.itemsLoaded.toLocaleString()} items in ${((performance.now() - started) / 1000).toFixed(1)} s.`
    })
  const exportAs = (format: 'jsonl' | 'json' | 'csv') =>
    run(`Exporting ${format.toUpperCase()}`, async () => {
      if (!s.connectionId || !s.selectedTable) return undefined
      const r = await call('data:export', {
        connectionId: s.connectionId,
        tableName: s.selectedTable,
        format,
        operationId: newOperationId('export'),
      })
      const type = { jsonl: 'application/x-ndjson', json: 'application/json', csv: 'text/csv' }[format]
      // A download in the browser host; Electron asks where to save it.
      const url = URL.createObjectURL(new Blob([r.content], { type }))
      const a = document.createElement('a')
      a.href = url
      a.download = r.fileName
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      return `Exported ${r.itemCount.toLocaleString()} items as ${r.fileName}.`
    })
  const pickImport = async (file: File | undefined) => {
    if (!file) return
    setError(undefined)
    setResult(undefined)
    try {
      setImporting({ name: file.name, text: await file.text() })
    } catch (err) {
      setError(toUiError(err))
    }
  }

  const d = s.detail
  const writesOff = s.connection?.readOnly ?? false
  const describedBy = writesOff ? ids.readOnly : undefined
  return (
    <section aria-label="Schema and data" className="schema">
      <div className="toolbar">
        <button
          type="button"
          disabled={Boolean(busy) || writesOff}
          aria-describedby={describedBy}
          onClick={() => void loadSchema()}
        >
          Load schema
        </button>
        <button
          type="button"
          disabled={Boolean(busy) || writesOff}
          aria-describedby={describedBy}
          onClick={() => void seed(false)}
        >
          Seed sample items
        </button>
        <button type="button" disabled={!s.selectedTable || Boolean(busy)} onClick={() => void scan()}>
          Scan
        </button>
        <button
          type="button"
          disabled={!s.selectedTable || Boolean(busy)}
          onClick={() => void exportAs('jsonl')}
        >
          Export DynamoDB JSON lines
        </button>
        <button
          type="button"
          disabled={!s.selectedTable || Boolean(busy)}
          onClick={() => void exportAs('json')}
        >
          Export JSON
        </button>
        <button
          type="button"
          disabled={!s.selectedTable || Boolean(busy)}
          onClick={() => void exportAs('csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          disabled={!s.selectedTable || Boolean(busy) || writesOff}
          aria-describedby={describedBy}
          onClick={() => fileInput.current?.click()}
        >
          Import file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Data file to import"
          accept=".jsonl,.ndjson,.json,.csv,application/json,text/csv"
          onChange={(e) => {
            const input = e.currentTarget
            void pickImport(input.files?.[0]).finally(() => {
              // The same file picked again (after fixing it) fires a change again.
              input.value = ''
            })
          }}
        />
        <span className="grow" />
        <button
          type="button"
          className="danger subtle"
          disabled={!d || Boolean(busy) || writesOff}
          aria-describedby={describedBy}
          onClick={() => {
            if (!d) return
            setConfirm(undefined)
            requestDrop({ name: d.name, items: d.itemCount })
          }}
        >
          Drop table
        </button>
      </div>
      <ReadOnlyReason id={ids.readOnly} what="schema load, seed, import and drop" />

      {spec ? (
        <form
          className="generator"
          aria-label="Generator"
          onSubmit={(e) => {
            e.preventDefault()
            void seed(true)
          }}
        >
          <fieldset disabled={Boolean(busy) || writesOff}>
            <legend>Seed with the generator</legend>
            {[
              ...countFields.map((c) => ({ name: c.name, label: c.label })),
              { name: 'seed', label: 'Random seed' },
            ].map((f) => (
              <span key={f.name} className="field">
                <label htmlFor={`${genBaseId}-${f.name}`}>{f.label}</label>
                <input
                  id={`${genBaseId}-${f.name}`}
                  type="number"
                  min={f.name === 'seed' ? undefined : 0}
                  value={genValue(f.name)}
                  onChange={(e) => setGen({ ...gen, [f.name]: e.target.value })}
                />
              </span>
            ))}
            <button type="submit">Seed with generator</button>
          </fieldset>
        </form>
      ) : null}

      <OperationProgressList />
      {busy ? (
        <p role="status" className="muted">
          {busy}…
        </p>
      ) : null}
      {s.itemsState === 'loading' ? (
        <p role="status" className="muted small">
          Scanning: {s.itemsLoaded.toLocaleString()} items so far
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {s.actionError ? <ErrorNote error={s.actionError} /> : null}
      {result ? (
        <p role="status" className="ok">
          {result}
        </p>
      ) : null}
      {s.detailError ? <ErrorNote error={s.detailError} /> : null}

      {!s.selectedTable ? (
        <div className="empty-state">
          <p>No table selected — pick one on the left, or load the model's sample.</p>
          <SampleButton />
        </div>
      ) : null}

      {d ? (
        <div className="definition">
          <h2>{d.name}</h2>
          <dl className="facts" aria-label="Table definition">
            <dt>Status</dt>
            <dd>{d.status}</dd>
            <dt>Partition key</dt>
            <dd>{d.partitionKey ? `${d.partitionKey.name} (${d.partitionKey.type})` : '—'}</dd>
            <dt>Sort key</dt>
            <dd>{d.sortKey ? `${d.sortKey.name} (${d.sortKey.type})` : '—'}</dd>
            <dt>Attributes</dt>
            <dd>{d.attributeDefinitions.map((a) => `${a.name} (${a.type})`).join(', ')}</dd>
            <dt>Billing</dt>
            <dd>
              {d.billingMode === 'PROVISIONED'
                ? `Provisioned: ${d.provisioned?.read ?? '?'} RCU / ${d.provisioned?.write ?? '?'} WCU`
                : 'On demand (pay per request)'}
            </dd>
            <dt>Stream</dt>
            <dd>{d.stream.enabled ? `on (${d.stream.viewType ?? 'view type unknown'})` : 'off'}</dd>
            <dt>Items</dt>
            <dd aria-label="Item count">
              {s.itemsState === 'ready' && s.itemsLoaded !== d.itemCount ? (
                <>
                  {s.itemsLoaded.toLocaleString()} counted by the last scan; DescribeTable reports{' '}
                  {d.itemCount.toLocaleString()} (DynamoDB updates that count about every six hours)
                </>
              ) : (
                <>
                  {d.itemCount.toLocaleString()}
                  {s.itemsState === 'ready'
                    ? ' (matches the last scan)'
                    : ' (DescribeTable; Scan counts them)'}
                </>
              )}
            </dd>
            <dt>Size</dt>
            <dd aria-label="Table size">≈ {formatBytes(d.sizeBytes)} (DescribeTable)</dd>
            {d.arn ? (
              <>
                <dt>ARN</dt>
                <dd>
                  <code>{d.arn}</code>
                </dd>
              </>
            ) : null}
          </dl>
          <h3>Indexes</h3>
          {d.indexes.length === 0 ? (
            <p className="muted">No secondary indexes.</p>
          ) : (
            <table className="grid" aria-label="Indexes">
              <thead>
                <tr>
                  <th scope="col">Index</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Keys</th>
                  <th scope="col">Projection</th>
                  <th scope="col">Capacity</th>
                  <th scope="col">Items</th>
                </tr>
              </thead>
              <tbody>
                {d.indexes.map((i) => (
                  <tr key={i.name}>
                    <th scope="row">{i.name}</th>
                    <td>{i.kind}</td>
                    <td>
                      {i.partitionKey.name} ({i.partitionKey.type})
                      {i.sortKey ? ` / ${i.sortKey.name} (${i.sortKey.type})` : ''}
                    </td>
                    <td>
                      {i.projection.type}
                      {i.projection.nonKeyAttributes?.length
                        ? `: ${i.projection.nonKeyAttributes.join(', ')}`
                        : ''}
                    </td>
                    <td>{i.provisioned ? `${i.provisioned.read} RCU / ${i.provisioned.write} WCU` : '—'}</td>
                    <td className="num">{i.itemCount?.toLocaleString() ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : null}

      {dropDialog}
      {importing && s.connectionId && s.selectedTable ? (
        <ImportDialog
          connectionId={s.connectionId}
          tableName={s.selectedTable}
          file={importing}
          onClose={(r) => {
            setImporting(undefined)
            if (r) {
              setResult(`Imported ${r.written.toLocaleString()} items into ${s.selectedTable}.`)
              void afterWrite()
            }
          }}
        />
      ) : null}
      {confirm?.kind === 'seed' ? (
        <ConfirmDialog
          title={`Seed over ${confirm.table}?`}
          body={confirm.message}
          expected={confirm.table}
          actionLabel="Seed"
          onCancel={() => setConfirm(undefined)}
          onConfirm={(typed) => {
            setConfirm(undefined)
            void seed(confirm.generator, typed)
          }}
        />
      ) : null}
    </section>
  )
}
