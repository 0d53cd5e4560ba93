import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { create } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type {
  FilterRow,
  HistoryEntry,
  OperationKind,
  OperationResult,
  OperationSpec,
} from '../../../shared/contract/channels/operations'
import type { ItemJson, TableDetail } from '../../../shared/contract/channels/workbench'
import { displayValue } from '../../../shared/domain/attribute-json'
import { generateCode, type Operation } from '../../../shared/domain/codegen'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { CodeBlock } from '../../components/JsonBlock'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { SaveAsPattern } from './SaveAsPattern'

const OPERATIONS: OperationKind[] = [
  'Query',
  'Scan',
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheck',
  'PartiQL',
]
const SORT_OPERATORS = ['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with'] as const
const FILTER_OPERATORS: FilterRow['operator'][] = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'BETWEEN',
  'begins_with',
  'contains',
  'attribute_exists',
  'attribute_not_exists',
]
/** "All pages" stops here: a workbench page, not an export. */
const ALL_PAGES_MAX_ITEMS = 10_000

interface Draft extends OperationSpec {
  projectionText?: string
}

interface BuilderState {
  draft: Draft
  result?: OperationResult
  items: ItemJson[]
  pages: number
  error?: UiError
  running: boolean
  progress?: string
  set(patch: Partial<BuilderState>): void
  edit(patch: Partial<Draft>): void
}

/** The builder keeps what the user composed while they visit other tabs. */
const useBuilder = create<BuilderState>((set) => ({
  draft: { operation: 'Query', filters: [] },
  items: [],
  pages: 0,
  running: false,
  set: (patch) => set(patch),
  edit: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
}))

function specOf(d: Draft): OperationSpec {
  const { projectionText, ...spec } = d
  const projection = (projectionText ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
  const clean: Record<string, unknown> = { ...spec, ...(projection.length ? { projection } : {}) }
  for (const [k, v] of Object.entries(clean))
    if (v === '' || v === undefined || (Array.isArray(v) && !v.length)) delete clean[k]
  return clean as OperationSpec
}

function columnsOf(items: ItemJson[], keys: string[]): string[] {
  const seen = new Map<string, number>()
  for (const it of items) for (const k of Object.keys(it)) seen.set(k, (seen.get(k) ?? 0) + 1)
  const rest = [...seen.keys()].filter((k) => !keys.includes(k)).sort((a, b) => seen.get(b)! - seen.get(a)!)
  return [...keys.filter((k) => seen.has(k)), ...rest]
}

/**
 * The operation builder: any table or index, any operation — Query with every key-condition operator, Scan with
 * parallel segments, the item operations, PartiQL — with a filter/condition builder, paging ("Next page", "All
 * pages" with progress), the consumed capacity, the code in four dialects, and a history that survives restarts.
 */
export function OperationBuilder() {
  const { connectionId, tables } = useAppStore(
    useShallow((st) => ({ connectionId: st.activeConnectionId, tables: st.tables })),
  )
  const b = useBuilder()
  const d = b.draft
  const [described, setDescribed] = useState<{ table: string; detail?: TableDetail }>()
  const detail = described?.table === d.table ? described?.detail : undefined
  const [history, setHistory] = useState<{ saved: HistoryEntry[]; recent: HistoryEntry[] }>({
    saved: [],
    recent: [],
  })
  const [codeTab, setCodeTab] = useState<'typescript' | 'python' | 'cli' | 'partiql'>('typescript')
  const [saveName, setSaveName] = useState('')
  const stopRef = useRef(false)

  const refreshHistory = () =>
    void call('ops:history', {})
      .then(setHistory)
      .catch(() => undefined)
  useEffect(refreshHistory, [])

  useEffect(() => {
    const table = d.table
    if (!connectionId || !table) return
    let live = true
    call('tables:describe', { connectionId, tableName: table })
      .then((t) => live && setDescribed({ table, detail: t }))
      .catch(() => live && setDescribed({ table }))
    return () => {
      live = false
    }
  }, [connectionId, d.table])

  // The key attributes of the chosen table or index, for the Query fields and the result columns.
  const keys = useMemo(() => {
    if (!detail) return { hash: undefined, range: undefined }
    const source = d.index ? detail.indexes.find((i) => i.name === d.index) : detail
    return { hash: source?.partitionKey?.name, range: source?.sortKey?.name }
  }, [detail, d.index])

  const run = async (mode: 'first' | 'next' | 'all') => {
    if (!connectionId) return
    const spec = specOf(d)
    stopRef.current = false
    b.set({ running: true, error: undefined, ...(mode === 'first' ? { items: [], pages: 0 } : {}) })
    try {
      let last = mode === 'first' ? undefined : b.result
      let items = mode === 'first' ? [] : b.items
      let pages = mode === 'first' ? 0 : b.pages
      do {
        const result = await call('ops:run', {
          connectionId,
          spec,
          ...(last?.lastEvaluatedKey && !spec.statement ? { exclusiveStartKey: last.lastEvaluatedKey } : {}),
          ...(last?.nextToken ? { nextToken: last.nextToken } : {}),
        })
        items = [...items, ...result.items]
        pages++
        last = result
        b.set({
          result,
          items,
          pages,
          progress: mode === 'all' ? `${pages} pages, ${items.length} items` : undefined,
        })
      } while (
        mode === 'all' &&
        (last.lastEvaluatedKey || last.nextToken) &&
        items.length < ALL_PAGES_MAX_ITEMS &&
        !stopRef.current
      )
      refreshHistory()
    } catch (err) {
      b.set({ error: toUiError(err) })
    } finally {
      b.set({ running: false })
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run('first')
  }
  const load = (spec: OperationSpec) =>
    b.set({
      draft: { ...spec, projectionText: spec.projection?.join(', ') ?? '', filters: spec.filters ?? [] },
      result: undefined,
      items: [],
      pages: 0,
      error: undefined,
    })
  const setFilter = (i: number, patch: Partial<FilterRow>) =>
    b.edit({ filters: (d.filters ?? []).map((f, n) => (n === i ? { ...f, ...patch } : f)) })

  const op = d.operation
  const isRead = op === 'Query' || op === 'Scan'
  const usesKey = op === 'GetItem' || op === 'UpdateItem' || op === 'DeleteItem' || op === 'ConditionCheck'
  const conditionLabel = isRead ? 'Filter' : 'Condition'
  const code = b.result
    ? {
        ...generateCode(b.result.request.operation as Operation, b.result.request.input),
        partiql: b.result.partiql ?? (op === 'PartiQL' ? (d.statement ?? '') : '-- no PartiQL form'),
      }
    : undefined
  const columns = columnsOf(
    b.items,
    [keys.hash, keys.range].filter((x): x is string => Boolean(x)),
  )
  const more = Boolean(b.result?.lastEvaluatedKey || b.result?.nextToken)

  return (
    <section aria-label="Operation builder" className="op-builder">
      <form aria-label="Operation" onSubmit={submit} className="op-form">
        <div className="toolbar">
          <label>
            Operation{' '}
            <select value={op} onChange={(e) => b.edit({ operation: e.target.value as OperationKind })}>
              {OPERATIONS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          {op !== 'PartiQL' ? (
            <label>
              Table{' '}
              <select
                value={d.table ?? ''}
                onChange={(e) => b.edit({ table: e.target.value || undefined, index: undefined })}
              >
                <option value="">choose…</option>
                {tables.map((t) => (
                  <option key={t.name}>{t.name}</option>
                ))}
              </select>
            </label>
          ) : null}
          {isRead && detail?.indexes.length ? (
            <label>
              Index{' '}
              <select value={d.index ?? ''} onChange={(e) => b.edit({ index: e.target.value || undefined })}>
                <option value="">(table)</option>
                {detail.indexes.map((i) => (
                  <option key={i.name}>{i.name}</option>
                ))}
              </select>
            </label>
          ) : null}
        </div>

        {op === 'Query' ? (
          <fieldset>
            <legend>Key condition</legend>
            <label>
              {keys.hash ?? 'partition key'} ={' '}
              <input
                aria-label="Partition key value"
                value={d.partitionValue ?? ''}
                onChange={(e) => b.edit({ partitionValue: e.target.value })}
              />
            </label>{' '}
            {keys.range ? (
              <>
                <label>
                  {keys.range}{' '}
                  <select
                    aria-label="Sort key operator"
                    value={d.sortOperator ?? ''}
                    onChange={(e) =>
                      b.edit({ sortOperator: (e.target.value || undefined) as Draft['sortOperator'] })
                    }
                  >
                    <option value="">(any)</option>
                    {SORT_OPERATORS.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                </label>{' '}
                {d.sortOperator ? (
                  <input
                    aria-label="Sort key value"
                    value={d.sortValue ?? ''}
                    onChange={(e) => b.edit({ sortValue: e.target.value })}
                  />
                ) : null}
                {d.sortOperator === 'BETWEEN' ? (
                  <>
                    {' and '}
                    <input
                      aria-label="Sort key upper value"
                      value={d.sortValue2 ?? ''}
                      onChange={(e) => b.edit({ sortValue2: e.target.value })}
                    />
                  </>
                ) : null}
              </>
            ) : null}
          </fieldset>
        ) : null}

        {usesKey ? (
          <label className="block">
            Key (JSON)
            <textarea
              aria-label="Key JSON"
              rows={3}
              value={d.key ?? ''}
              placeholder='{"pk": "…", "sk": "…"}'
              onChange={(e) => b.edit({ key: e.target.value })}
            />
          </label>
        ) : null}
        {op === 'PutItem' ? (
          <label className="block">
            Item (JSON)
            <textarea
              aria-label="Item JSON"
              rows={6}
              value={d.item ?? ''}
              onChange={(e) => b.edit({ item: e.target.value })}
            />
          </label>
        ) : null}
        {op === 'UpdateItem' ? (
          <>
            <label className="block">
              Update expression
              <input
                aria-label="Update expression"
                value={d.update ?? ''}
                placeholder="SET #status = :s"
                onChange={(e) => b.edit({ update: e.target.value })}
              />
            </label>
            <label className="block">
              Values (JSON)
              <input
                aria-label="Update values"
                value={d.values ?? ''}
                placeholder='{":s": "shipped"}'
                onChange={(e) => b.edit({ values: e.target.value })}
              />
            </label>
          </>
        ) : null}
        {op === 'PartiQL' ? (
          <>
            <label className="block">
              Statement
              <textarea
                aria-label="PartiQL statement"
                rows={3}
                value={d.statement ?? ''}
                placeholder={'SELECT * FROM "table" WHERE pk = ?'}
                onChange={(e) => b.edit({ statement: e.target.value })}
              />
            </label>
            <label className="block">
              Parameters (JSON array)
              <input
                aria-label="PartiQL parameters"
                value={d.parameters ?? ''}
                placeholder='["A#1"]'
                onChange={(e) => b.edit({ parameters: e.target.value })}
              />
            </label>
          </>
        ) : null}

        {op !== 'PartiQL' && op !== 'GetItem' ? (
          <fieldset>
            <legend>{conditionLabel}</legend>
            {(d.filters ?? []).map((f, i) => (
              <div key={i} className="toolbar" role="group" aria-label={`${conditionLabel} row ${i + 1}`}>
                <input
                  aria-label="Attribute"
                  value={f.attribute}
                  onChange={(e) => setFilter(i, { attribute: e.target.value })}
                />
                <select
                  aria-label="Operator"
                  value={f.operator}
                  onChange={(e) => setFilter(i, { operator: e.target.value as FilterRow['operator'] })}
                >
                  {FILTER_OPERATORS.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
                {f.operator !== 'attribute_exists' && f.operator !== 'attribute_not_exists' ? (
                  <>
                    <select
                      aria-label="Type"
                      value={f.type ?? 'S'}
                      onChange={(e) => setFilter(i, { type: e.target.value as FilterRow['type'] })}
                    >
                      <option value="S">string</option>
                      <option value="N">number</option>
                      <option value="BOOL">boolean</option>
                      <option value="NULL">null</option>
                    </select>
                    <input
                      aria-label="Value"
                      value={f.value ?? ''}
                      onChange={(e) => setFilter(i, { value: e.target.value })}
                    />
                    {f.operator === 'BETWEEN' ? (
                      <input
                        aria-label="Upper value"
                        value={f.value2 ?? ''}
                        onChange={(e) => setFilter(i, { value2: e.target.value })}
                      />
                    ) : null}
                  </>
                ) : null}
                <button
                  type="button"
                  aria-label={`Remove ${conditionLabel.toLowerCase()} row ${i + 1}`}
                  onClick={() => b.edit({ filters: (d.filters ?? []).filter((_, n) => n !== i) })}
                >
                  ×
                </button>
              </div>
            ))}
            <button
              type="button"
              onClick={() => b.edit({ filters: [...(d.filters ?? []), { attribute: '', operator: '=' }] })}
            >
              Add {conditionLabel.toLowerCase()}
            </button>
          </fieldset>
        ) : null}

        {isRead || op === 'GetItem' || op === 'PartiQL' ? (
          <div className="toolbar">
            {op !== 'PartiQL' ? (
              <label>
                Projection{' '}
                <input
                  aria-label="Projection"
                  value={d.projectionText ?? ''}
                  placeholder="attr1, attr2"
                  onChange={(e) => b.edit({ projectionText: e.target.value })}
                />
              </label>
            ) : null}
            {op === 'Query' ? (
              <label>
                Order{' '}
                <select
                  value={d.direction ?? 'asc'}
                  onChange={(e) => b.edit({ direction: e.target.value as 'asc' | 'desc' })}
                >
                  <option value="asc">ascending</option>
                  <option value="desc">descending</option>
                </select>
              </label>
            ) : null}
            {op !== 'GetItem' ? (
              <label>
                Page size{' '}
                <input
                  aria-label="Page size"
                  type="number"
                  min={1}
                  max={100000}
                  value={d.limit ?? ''}
                  onChange={(e) => b.edit({ limit: e.target.value ? Number(e.target.value) : undefined })}
                />
              </label>
            ) : null}
            <label>
              <input
                type="checkbox"
                checked={d.consistentRead ?? false}
                onChange={(e) => b.edit({ consistentRead: e.target.checked })}
              />{' '}
              Consistent read
            </label>
            {op === 'Scan' ? (
              <>
                <label>
                  Segment{' '}
                  <input
                    aria-label="Segment"
                    type="number"
                    min={0}
                    value={d.segment ?? ''}
                    onChange={(e) => b.edit({ segment: e.target.value ? Number(e.target.value) : undefined })}
                  />
                </label>
                <label>
                  of{' '}
                  <input
                    aria-label="Total segments"
                    type="number"
                    min={1}
                    value={d.totalSegments ?? ''}
                    onChange={(e) =>
                      b.edit({ totalSegments: e.target.value ? Number(e.target.value) : undefined })
                    }
                  />
                </label>
              </>
            ) : null}
          </div>
        ) : null}

        <div className="toolbar">
          <button type="submit" disabled={b.running || !connectionId}>
            Run
          </button>
          <button type="button" disabled={b.running || !more} onClick={() => void run('next')}>
            Next page
          </button>
          <button type="button" disabled={b.running || !more} onClick={() => void run('all')}>
            All pages
          </button>
          <SaveAsPattern spec={specOf(d)} />
          {b.running ? (
            <button type="button" onClick={() => (stopRef.current = true)}>
              Stop
            </button>
          ) : null}
          {b.progress ? (
            <span role="status" className="muted small">
              {b.progress}
            </span>
          ) : null}
        </div>
      </form>

      {b.error ? <ErrorNote error={b.error} /> : null}

      {b.result ? (
        <section aria-label="Operation result" className="op-result">
          <p role="status" aria-label="Result summary">
            {b.items.length} item{b.items.length === 1 ? '' : 's'}
            {b.result.scannedCount !== undefined
              ? ` · ${b.result.scannedCount} scanned (last page)`
              : ''} · {b.pages} page{b.pages === 1 ? '' : 's'}
            {b.result.consumedCapacity !== undefined ? ` · ${b.result.consumedCapacity} capacity units` : ''}
            {more ? ' · more pages' : ''}
          </p>
          {b.items.length ? (
            <div className="matrix-scroll">
              <table className="grid" aria-label="Result items">
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {b.items.map((it, i) => (
                    <tr key={i}>
                      {columns.map((c) => (
                        <td key={c}>{displayValue(it[c])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {code ? (
            <>
              <div role="tablist" aria-label="Code" className="tabs small-tabs">
                {(
                  [
                    ['typescript', 'TypeScript (SDK v3)'],
                    ['python', 'Python (boto3)'],
                    ['cli', 'AWS CLI'],
                    ['partiql', 'PartiQL'],
                  ] as const
                ).map(([id, label]) => (
                  <button
                    key={id}
                    type="button"
                    role="tab"
                    aria-selected={codeTab === id}
                    onClick={() => setCodeTab(id)}
                  >
                    {label}
                  </button>
                ))}
              </div>
              <div role="tabpanel" aria-label={`${codeTab} code`}>
                <CodeBlock code={code[codeTab]} label={`${codeTab} code`} />
              </div>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-label="Saved and recent operations" className="op-history">
        <form
          className="toolbar"
          aria-label="Save operation"
          onSubmit={(e) => {
            e.preventDefault()
            if (!saveName.trim()) return
            void call('ops:save', { name: saveName.trim(), spec: specOf(d) }).then(() => {
              setSaveName('')
              refreshHistory()
            })
          }}
        >
          <input
            aria-label="Operation name"
            placeholder="name this operation"
            value={saveName}
            onChange={(e) => setSaveName(e.target.value)}
          />
          <button type="submit" disabled={!saveName.trim()}>
            Save operation
          </button>
        </form>
        {[
          ['Saved', history.saved],
          ['Recent', history.recent],
        ].map(([title, list]) =>
          (list as HistoryEntry[]).length ? (
            <div key={title as string}>
              <h3>{title as string}</h3>
              <ul className="list" aria-label={`${title as string} operations`}>
                {(list as HistoryEntry[]).slice(0, 15).map((h) => (
                  <li key={h.id} className="toolbar">
                    <button type="button" className="list-item grow" onClick={() => load(h.spec)}>
                      {h.name ? <strong>{h.name}: </strong> : null}
                      {h.spec.operation} {h.spec.table ?? ''}
                      {h.spec.index ? `/${h.spec.index}` : ''}{' '}
                      <span className="muted small">
                        {h.spec.partitionValue ?? h.spec.statement ?? h.spec.key ?? ''}
                      </span>
                    </button>
                    <button
                      type="button"
                      aria-label={`Forget ${h.name ?? h.spec.operation}`}
                      onClick={() => void call('ops:forget', { id: h.id }).then(refreshHistory)}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null,
        )}
      </section>
    </section>
  )
}
