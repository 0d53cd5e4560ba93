import { arr, freshName, isObj, keyAttributes, str, type Obj, type Path } from './draft-edit'
import {
  CheckField,
  GroupProblems,
  Member,
  NameListField,
  NumberField,
  RecordField,
  SelectField,
  TextField,
  useForm,
} from './fields'

const ATTRIBUTE_TYPES = [
  ['S', 'String (S)'],
  ['N', 'Number (N)'],
  ['B', 'Binary (B)'],
  ['BOOL', 'Boolean (BOOL)'],
  ['M', 'Map (M)'],
  ['L', 'List (L)'],
  ['SS', 'String set (SS)'],
  ['NS', 'Number set (NS)'],
] as const

const PARAM_TYPES = ['string', 'number', 'uuid', 'handle', 'timestamp'].map((t) => [t, t] as const)

function useOptions() {
  const f = useForm()
  const tables = arr(f.draft.tables)
  return {
    tables: tables.map((t) => [str(t.name), str(t.name)] as const).filter(([n]) => n),
    entities: arr(f.draft.entities)
      .map((e) => [str(e.name), str(e.name)] as const)
      .filter(([n]) => n),
    patterns: arr(f.draft.accessPatterns)
      .map((p) => [str(p.id), `${str(p.id)} ${str(p.name)}`.trim()] as const)
      .filter(([n]) => n),
    handlers: arr(f.draft.streamHandlers)
      .map((h) => [str(h.name), str(h.name)] as const)
      .filter(([n]) => n),
    table: (name: unknown) => tables.find((t) => t.name === name),
  }
}

/** An "Add …" button for a list of the model. */
function AddButton({ label, path, make }: { label: string; path: Path; make: (list: Obj[]) => Obj }) {
  const f = useForm()
  const list = arr((f.draft as Obj)[path[0] as string])
  return (
    <button type="button" onClick={() => f.edit(path, [...list, make(list)])}>
      {label}
    </button>
  )
}

/** The parameters of a pattern or recipe: name, type, default, required, description. */
function ParamsField({ path, owner }: { path: Path; owner: string }) {
  const f = useForm()
  const list = arr(f.draft[path[0] as 'accessPatterns']?.[path[1] as number]?.params)
  return (
    <fieldset className="form-list" aria-label={`Parameters of ${owner}`}>
      <legend>Parameters</legend>
      {list.map((p, i) => (
        <Member
          key={i}
          title={str(p.name) || `Parameter ${i + 1}`}
          listPath={path}
          i={i}
          what={`parameter ${i + 1} of ${owner}`}
        >
          <div className="form-row">
            <TextField label="Parameter name" path={[...path, i, 'name']} />
            <SelectField label="Parameter type" path={[...path, i, 'type']} options={PARAM_TYPES} />
            <TextField label="Default value" path={[...path, i, 'default']} optional />
            <CheckField label="Required" path={[...path, i, 'required']} defaultValue />
            <TextField label="Parameter description" path={[...path, i, 'description']} optional wide />
          </div>
          {p.type === 'timestamp' ? (
            <TextField
              label="Timestamp format"
              path={[...path, i, 'format']}
              optional
              placeholder="YYYY-MM-DDTHH:mm:ss.SSSZ"
            />
          ) : null}
        </Member>
      ))}
      <GroupProblems path={path} />
      <button
        type="button"
        onClick={() =>
          f.edit(path, [
            ...list,
            {
              name: freshName(
                'param',
                list.map((p) => p.name),
              ),
              type: 'string',
            },
          ])
        }
      >
        Add parameter to {owner}
      </button>
    </fieldset>
  )
}

export function EntitiesForm() {
  const f = useForm()
  const o = useOptions()
  const list = arr(f.draft.entities)
  return (
    <section aria-label="Entities" className="form-section">
      <h3>Entities</h3>
      {list.map((e, i) => {
        const path: Path = ['entities', i]
        const table = o.table(e.table)
        const required = arr(table?.keySchema).map((k) => str(k.attributeName))
        const keyNames = table ? keyAttributes(table) : []
        const keys = isObj(e.keys) ? e.keys : {}
        const extra = Object.keys(keys).filter((k) => !keyNames.includes(k))
        const attrs = arr(e.attributes)
        const what = `entity ${i + 1}`
        return (
          <Member key={i} title={str(e.name) || `Entity ${i + 1}`} listPath={['entities']} i={i} what={what}>
            <div className="form-row">
              <TextField label="Entity name" path={[...path, 'name']} />
              <SelectField label="Entity table" path={[...path, 'table']} options={o.tables} />
              <span className="form-field">
                <label htmlFor={`entity-colour-${i}`}>Facet colour</label>
                <input
                  id={`entity-colour-${i}`}
                  type="color"
                  value={/^#[0-9a-fA-F]{6}$/.test(str(e.colour)) ? str(e.colour) : '#888888'}
                  onChange={(ev) => f.edit([...path, 'colour'], ev.target.value, [...path, 'colour'])}
                />
              </span>
              <TextField label="Entity description" path={[...path, 'description']} optional wide />
            </div>
            <fieldset className="form-record" aria-label={`Key templates of ${what}`}>
              <legend>Key templates</legend>
              {[...keyNames, ...extra].map((k) => (
                <TextField
                  key={k}
                  label={`Template for ${k}${required.includes(k) ? '' : extra.includes(k) ? ' (not a key of the table)' : ' (index key, optional)'}`}
                  path={[...path, 'keys', k]}
                  optional={!required.includes(k)}
                  placeholder="PREFIX#{param}"
                  wide
                />
              ))}
              <GroupProblems path={[...path, 'keys']} />
            </fieldset>
            <fieldset className="form-list" aria-label={`Attributes of ${what}`}>
              <legend>Attributes</legend>
              {attrs.map((_, j) => (
                <Member
                  key={j}
                  title={`Attribute ${j + 1}`}
                  listPath={[...path, 'attributes']}
                  i={j}
                  what={`attribute ${j + 1} of ${what}`}
                >
                  <div className="form-row">
                    <TextField label="Attribute name" path={[...path, 'attributes', j, 'name']} />
                    <SelectField
                      label="Attribute type"
                      path={[...path, 'attributes', j, 'type']}
                      options={ATTRIBUTE_TYPES}
                    />
                    <TextField
                      label="Attribute description"
                      path={[...path, 'attributes', j, 'description']}
                      optional
                      wide
                    />
                  </div>
                </Member>
              ))}
              <button
                type="button"
                onClick={() =>
                  f.edit(
                    [...path, 'attributes'],
                    [
                      ...attrs,
                      {
                        name: freshName(
                          'attribute',
                          attrs.map((a) => a.name),
                        ),
                        type: 'S',
                      },
                    ],
                  )
                }
              >
                Add attribute to {what}
              </button>
            </fieldset>
          </Member>
        )
      })}
      <AddButton
        label="Add entity"
        path={['entities']}
        make={(l) => {
          const table = arr(f.draft.tables)[0]
          return {
            name: freshName(
              'Entity',
              l.map((e) => e.name),
            ),
            table: str(table?.name),
            keys: Object.fromEntries(arr(table?.keySchema).map((k) => [str(k.attributeName), ''])),
          }
        }}
      />
    </section>
  )
}

export function PatternsForm() {
  const f = useForm()
  const o = useOptions()
  const list = arr(f.draft.accessPatterns)
  return (
    <section aria-label="Access patterns" className="form-section">
      <h3>Access patterns</h3>
      {list.map((p, i) => {
        const path: Path = ['accessPatterns', i]
        const table = o.table(p.table)
        const indexes = [...arr(table?.globalSecondaryIndexes), ...arr(table?.localSecondaryIndexes)]
          .map((x) => [str(x.indexName), str(x.indexName)] as const)
          .filter(([n]) => n)
        const op = str(p.operation)
        const what = `access pattern ${i + 1}`
        return (
          <Member
            key={i}
            title={`${str(p.id)} ${str(p.name)}`.trim() || `Access pattern ${i + 1}`}
            listPath={['accessPatterns']}
            i={i}
            what={what}
          >
            <div className="form-row">
              <TextField label="Pattern id" path={[...path, 'id']} />
              <TextField label="Pattern name" path={[...path, 'name']} wide />
              <SelectField
                label="Operation"
                path={[...path, 'operation']}
                options={[
                  ['Query', 'Query'],
                  ['GetItem', 'GetItem'],
                  ['Scan', 'Scan'],
                  ['PutItem', 'PutItem'],
                  ['DeleteItem', 'DeleteItem'],
                  ['stream', 'Stream (a handler keeps it)'],
                ]}
              />
            </div>
            <div className="form-row">
              <SelectField label="Pattern table" path={[...path, 'table']} options={o.tables} />
              <SelectField
                label="Index"
                path={[...path, 'index']}
                optional="(the table itself)"
                options={indexes}
              />
              <SelectField
                label="Pattern entity"
                path={[...path, 'entity']}
                optional="(none)"
                options={o.entities}
              />
            </div>
            <TextField label="Pattern description" path={[...path, 'description']} optional wide />
            <ParamsField path={[...path, 'params']} owner={what} />
            {op === 'Query' || op === 'Scan' ? (
              <>
                {op === 'Query' ? (
                  <TextField
                    label="Key condition"
                    path={[...path, 'keyCondition']}
                    optional
                    wide
                    placeholder="PK = :pk AND begins_with(SK, :prefix)"
                  />
                ) : null}
                <TextField
                  label="Filter"
                  path={[...path, 'filter']}
                  optional
                  wide
                  placeholder="#status = :open"
                />
                <RecordField
                  label={`Values of ${what}`}
                  path={[...path, 'values']}
                  keyLabel="Placeholder"
                  valueLabel="Template"
                  keyPlaceholder=":pk"
                  valuePlaceholder="PREFIX#{param}"
                  newKey=":v"
                />
              </>
            ) : null}
            {op === 'GetItem' || op === 'DeleteItem' ? (
              <RecordField
                label={`Key of ${what}`}
                path={[...path, 'key']}
                keyLabel="Attribute"
                valueLabel="Template"
              />
            ) : null}
            {op === 'PutItem' ? (
              <RecordField
                label={`Item of ${what}`}
                path={[...path, 'item']}
                keyLabel="Attribute"
                valueLabel="Template"
              />
            ) : null}
            {op === 'stream' ? (
              <SelectField
                label="Handler"
                path={[...path, 'handler']}
                optional="(none)"
                options={o.handlers}
              />
            ) : null}
            <div className="form-row">
              <NameListField
                label="Projection"
                path={[...path, 'projection']}
                placeholder="(every attribute)"
              />
              <SelectField
                label="Direction"
                path={[...path, 'direction']}
                optional="(ascending, the default)"
                options={[
                  ['asc', 'Ascending'],
                  ['desc', 'Descending (newest first)'],
                ]}
              />
              <NumberField label="Limit" path={[...path, 'limit']} min={1} />
            </div>
            <fieldset className="form-record" aria-label={`Expectations of ${what}`}>
              <legend>Expectations</legend>
              <div className="form-row">
                <SelectField
                  label="Served by"
                  path={[...path, 'expectations', 'servedBy']}
                  optional="(any)"
                  options={['Query', 'GetItem', 'Scan', 'PutItem', 'DeleteItem', 'UpdateItem'].map(
                    (x) => [x, x] as const,
                  )}
                />
                <NumberField label="Expected count" path={[...path, 'expectations', 'count']} min={0} />
                <NumberField label="At most items" path={[...path, 'expectations', 'maxItems']} min={0} />
                <NumberField
                  label="At most capacity units"
                  path={[...path, 'expectations', 'maxCapacityUnits']}
                  min={0}
                />
              </div>
              <GroupProblems path={[...path, 'expectations']} under />
            </fieldset>
          </Member>
        )
      })}
      <AddButton
        label="Add access pattern"
        path={['accessPatterns']}
        make={(l) => ({
          id: freshName(
            'pattern-',
            l.map((p) => p.id),
          ),
          name: 'New access pattern',
          operation: 'Query',
          table: str(arr(f.draft.tables)[0]?.name),
          keyCondition: '',
        })}
      />
    </section>
  )
}

export function RecipesForm() {
  const f = useForm()
  const o = useOptions()
  const list = arr(f.draft.recipes)
  return (
    <section aria-label="Write recipes" className="form-section">
      <h3>Write recipes</h3>
      {list.map((r, i) => {
        const path: Path = ['recipes', i]
        const steps = arr(r.steps)
        const what = `recipe ${i + 1}`
        return (
          <Member
            key={i}
            title={`${str(r.id)} ${str(r.name)}`.trim() || `Recipe ${i + 1}`}
            listPath={['recipes']}
            i={i}
            what={what}
          >
            <div className="form-row">
              <TextField label="Recipe id" path={[...path, 'id']} />
              <TextField label="Recipe name" path={[...path, 'name']} wide />
              <SelectField
                label="Mode"
                path={[...path, 'mode']}
                options={[
                  ['auto', 'Transaction where available'],
                  ['transaction', 'One transaction'],
                  ['steps', 'One request per step'],
                ]}
                value={str(r.mode) || 'auto'}
              />
              <SelectField
                label="Carries out pattern"
                path={[...path, 'pattern']}
                optional="(none)"
                options={o.patterns}
              />
            </div>
            <TextField label="Recipe description" path={[...path, 'description']} optional wide />
            <ParamsField path={[...path, 'params']} owner={what} />
            <fieldset className="form-list" aria-label={`Steps of ${what}`}>
              <legend>Steps</legend>
              <GroupProblems path={[...path, 'steps']} />
              {steps.map((s, j) => {
                const sp: Path = [...path, 'steps', j]
                const stepWhat = `step ${j + 1} of ${what}`
                const put = s.op === 'Put'
                return (
                  <Member
                    key={j}
                    title={`Step ${j + 1}: ${str(s.op)}`}
                    listPath={[...path, 'steps']}
                    i={j}
                    what={stepWhat}
                  >
                    <div className="form-row">
                      <SelectField
                        label="Step operation"
                        path={[...sp, 'op']}
                        options={['Put', 'Update', 'Delete', 'ConditionCheck'].map((x) => [x, x] as const)}
                        onPick={(v) => {
                          // Put writes an item; the others name a key: the record moves across.
                          const { item, key, update, ...rest } = s
                          const rec = item ?? key
                          f.edit(sp, {
                            ...rest,
                            op: v,
                            ...(v === 'Put' ? { item: rec ?? {} } : { key: rec ?? {} }),
                            ...(v === 'Update' ? { update: update ?? 'SET #attr = :value' } : {}),
                          })
                        }}
                      />
                      <SelectField label="Step table" path={[...sp, 'table']} options={o.tables} />
                      <SelectField
                        label="Step entity"
                        path={[...sp, 'entity']}
                        optional="(none)"
                        options={o.entities}
                      />
                    </div>
                    <RecordField
                      label={`${put ? 'Item' : 'Key'} of ${stepWhat}`}
                      path={[...sp, put ? 'item' : 'key']}
                      keyLabel="Attribute"
                      valueLabel="Template"
                      valuePlaceholder="PREFIX#{param}"
                    />
                    {s.op === 'Update' ? (
                      <TextField
                        label="Update expression"
                        path={[...sp, 'update']}
                        wide
                        placeholder="SET #count = #count + :one"
                      />
                    ) : null}
                    <TextField
                      label="Condition"
                      path={[...sp, 'condition']}
                      optional
                      wide
                      placeholder="attribute_not_exists(#PK)"
                    />
                    <RecordField
                      label={`Values of ${stepWhat}`}
                      path={[...sp, 'values']}
                      keyLabel="Placeholder"
                      valueLabel="Template"
                      keyPlaceholder=":value"
                      newKey=":v"
                    />
                  </Member>
                )
              })}
              <button
                type="button"
                onClick={() => {
                  const table = o.table(steps[0]?.table) ?? arr(f.draft.tables)[0]
                  const item = Object.fromEntries(
                    arr(table?.keySchema).map((k) => [str(k.attributeName), '']),
                  )
                  f.edit([...path, 'steps'], [...steps, { op: 'Put', table: str(table?.name), item }])
                }}
              >
                Add step to {what}
              </button>
            </fieldset>
          </Member>
        )
      })}
      <AddButton
        label="Add write recipe"
        path={['recipes']}
        make={(l) => {
          const table = arr(f.draft.tables)[0]
          return {
            id: freshName(
              'recipe-',
              l.map((r) => r.id),
            ),
            name: 'New write recipe',
            mode: 'auto',
            steps: [
              {
                op: 'Put',
                table: str(table?.name),
                item: Object.fromEntries(arr(table?.keySchema).map((k) => [str(k.attributeName), ''])),
              },
            ],
          }
        }}
      />
    </section>
  )
}

export function HandlersForm() {
  const f = useForm()
  const o = useOptions()
  const list = arr(f.draft.streamHandlers)
  return (
    <section aria-label="Stream handlers" className="form-section">
      <h3>Stream handlers</h3>
      <p className="muted small">
        A handler is a module beside the model file exporting <code>handler(event, context)</code>, bound to a
        table with a stream.
      </p>
      {list.map((h, i) => {
        const path: Path = ['streamHandlers', i]
        return (
          <Member
            key={i}
            title={str(h.name) || `Handler ${i + 1}`}
            listPath={['streamHandlers']}
            i={i}
            what={`stream handler ${i + 1}`}
          >
            <div className="form-row">
              <TextField label="Handler name" path={[...path, 'name']} />
              <SelectField label="Handler table" path={[...path, 'table']} options={o.tables} />
              <TextField label="Handler file" path={[...path, 'file']} placeholder="handler.mjs" />
              <SelectField
                label="Implements pattern"
                path={[...path, 'pattern']}
                optional="(none)"
                options={o.patterns}
              />
            </div>
            <div className="form-row">
              <NumberField label="Timeout (seconds)" path={[...path, 'timeoutSeconds']} min={1} max={900} />
              <NumberField label="Batch size" path={[...path, 'batchSize']} min={1} max={10000} />
              <NumberField label="Retries" path={[...path, 'maximumRetryAttempts']} min={0} />
              <TextField label="Handler description" path={[...path, 'description']} optional wide />
            </div>
          </Member>
        )
      })}
      <AddButton
        label="Add stream handler"
        path={['streamHandlers']}
        make={(l) => ({
          name: freshName(
            'handler',
            l.map((h) => h.name),
          ),
          table: str(arr(f.draft.tables).find((t) => isObj(t.stream))?.name ?? arr(f.draft.tables)[0]?.name),
          file: 'handler.mjs',
        })}
      />
    </section>
  )
}
