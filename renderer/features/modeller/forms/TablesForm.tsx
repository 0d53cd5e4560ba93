import { addGsiProblem, addLsiProblem, KEY_TYPES } from '../../../../shared/domain/model-rules'
import {
  arr,
  attributeType,
  freshName,
  renameTableInDraft,
  str,
  syncDefinitions,
  setKeyPart,
  type Obj,
  type Path,
} from './draft-edit'
import { GroupProblems, Member, NameListField, NumberField, SelectField, TextField, useForm } from './fields'

const KEY_TYPE_OPTIONS = KEY_TYPES.map(
  (t) => [t, { S: 'String (S)', N: 'Number (N)', B: 'Binary (B)' }[t]] as const,
)

/**
 * The partition and sort key of a table or an index: each a name and a type. The type lives in the table's
 * attribute definitions, which follow the keys (syncDefinitions).
 */
function KeyFields({
  tablePath,
  keysPath,
  sortOptional,
}: {
  tablePath: Path
  keysPath: Path
  sortOptional: boolean
}) {
  const f = useForm()
  const table = (f.draft.tables?.[tablePath[1] as number] ?? {}) as Obj
  const keys = arr(
    keysPath.length === 3
      ? table.keySchema
      : arr(table[keysPath[2] as string])[keysPath[3] as number]?.keySchema,
  )
  const setTable = (next: Obj, typing?: Path) => f.edit(tablePath, next, typing)
  const setName = (part: 0 | 1, name: string, typing: Path) => {
    const rel = keysPath.slice(2)
    const withKeys =
      rel.length === 1
        ? { ...table, keySchema: setKeyPart(table.keySchema, part, name) }
        : {
            ...table,
            [rel[0] as string]: arr(table[rel[0] as string]).map((x, i) =>
              i === rel[1] ? { ...x, keySchema: setKeyPart(x.keySchema, part, name) } : x,
            ),
          }
    // A renamed key keeps its type, unless the new name is an attribute the table already defines.
    const old = str(keys[part]?.attributeName)
    const defined = arr(table.attributeDefinitions).some((d) => d.attributeName === name)
    setTable(
      syncDefinitions(withKeys, old && !defined ? { name, type: attributeType(table, old) } : undefined),
      typing,
    )
  }
  const setType = (name: string, type: string) => setTable(syncDefinitions(table, { name, type }))
  const part = (p: 0 | 1) => {
    const name = str(keys[p]?.attributeName)
    const defIndex = arr(table.attributeDefinitions).findIndex((d) => d.attributeName === name)
    const label = `${keysPath.length === 3 ? '' : 'Index '}${p === 0 ? 'partition key' : 'sort key'}`
    const Label = label[0]!.toUpperCase() + label.slice(1)
    return (
      <div className="form-row">
        <TextField
          label={Label}
          path={[...keysPath, p, 'attributeName']}
          alsoPaths={p === 0 ? [keysPath, [...keysPath, p, 'keyType']] : [[...keysPath, p, 'keyType']]}
          value={name}
          placeholder={p === 1 && sortOptional ? '(none)' : 'PK'}
          onText={(t, typing) => setName(p, t, typing)}
        />
        {name ? (
          <SelectField
            label={`${Label} type`}
            path={[...tablePath, 'attributeDefinitions', defIndex, 'attributeType']}
            alsoPaths={[[...tablePath, 'attributeDefinitions', defIndex, 'attributeName']]}
            options={KEY_TYPE_OPTIONS}
            value={attributeType(table, name)}
            onPick={(v) => setType(name, v)}
          />
        ) : null}
      </div>
    )
  }
  return (
    <>
      {part(0)}
      {part(1)}
    </>
  )
}

function ProjectionFields({ path }: { path: Path }) {
  const f = useForm()
  const proj = (arr(f.draft.tables?.[path[1] as number]?.[path[2] as 'globalSecondaryIndexes'])[
    path[3] as number
  ]?.projection ?? {}) as Obj
  return (
    <div className="form-row">
      <SelectField
        label="Projection"
        path={[...path, 'projection', 'projectionType']}
        alsoPaths={[[...path, 'projection']]}
        options={[
          ['ALL', 'All attributes'],
          ['KEYS_ONLY', 'Keys only'],
          ['INCLUDE', 'Keys and the attributes listed'],
        ]}
        onPick={(v) =>
          f.edit([...path, 'projection'], {
            projectionType: v,
            ...(v === 'INCLUDE' ? { nonKeyAttributes: arr<unknown>(proj.nonKeyAttributes) } : {}),
          })
        }
      />
      {proj.projectionType === 'INCLUDE' ? (
        <NameListField label="Included attributes" path={[...path, 'projection', 'nonKeyAttributes']} />
      ) : null}
    </div>
  )
}

function IndexList({
  tablePath,
  kind,
}: {
  tablePath: Path
  kind: 'globalSecondaryIndexes' | 'localSecondaryIndexes'
}) {
  const f = useForm()
  const t = tablePath[1] as number
  const table = (f.draft.tables?.[t] ?? {}) as Obj
  const list = arr(table[kind])
  const gsi = kind === 'globalSecondaryIndexes'
  const noun = gsi ? 'global secondary index' : 'local secondary index'
  const refusal = gsi ? addGsiProblem(table) : addLsiProblem(table)
  const add = () => {
    const name = freshName(
      gsi ? 'GSI' : 'LSI',
      [...arr(table.globalSecondaryIndexes), ...arr(table.localSecondaryIndexes)].map((x) => x.indexName),
    )
    const tableKeys = arr(table.keySchema)
    const index = {
      indexName: name,
      keySchema: gsi
        ? [
            { attributeName: `${name}PK`, keyType: 'HASH' },
            { attributeName: `${name}SK`, keyType: 'RANGE' },
          ]
        : [
            { attributeName: str(tableKeys[0]?.attributeName), keyType: 'HASH' },
            { attributeName: `${name}SK`, keyType: 'RANGE' },
          ],
      projection: { projectionType: 'ALL' },
      ...(gsi && table.billingMode === 'PROVISIONED'
        ? { provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 } }
        : {}),
    }
    f.edit(tablePath, syncDefinitions({ ...table, [kind]: [...list, index] }))
  }
  const refusalId = `${kind}-${t}-refusal`
  return (
    <fieldset
      className="form-list"
      aria-label={`${gsi ? 'Global' : 'Local'} secondary indexes of table ${t + 1}`}
    >
      <legend>{gsi ? 'Global secondary indexes' : 'Local secondary indexes'}</legend>
      <GroupProblems path={[...tablePath, kind]} />
      {list.map((x, i) => {
        const path = [...tablePath, kind, i]
        const what = `${gsi ? 'GSI' : 'LSI'} ${i + 1} of table ${t + 1}`
        return (
          <Member
            key={i}
            title={str(x.indexName) || `${gsi ? 'GSI' : 'LSI'} ${i + 1}`}
            listPath={[...tablePath, kind]}
            i={i}
            what={what}
          >
            <TextField label="Index name" path={[...path, 'indexName']} />
            <KeyFields tablePath={tablePath} keysPath={[...path, 'keySchema']} sortOptional={gsi} />
            <ProjectionFields path={path} />
            {gsi && table.billingMode === 'PROVISIONED' ? (
              <div className="form-row">
                <NumberField
                  label="Index read capacity"
                  path={[...path, 'provisionedThroughput', 'readCapacityUnits']}
                  min={1}
                />
                <NumberField
                  label="Index write capacity"
                  path={[...path, 'provisionedThroughput', 'writeCapacityUnits']}
                  min={1}
                />
              </div>
            ) : null}
            <GroupProblems path={[...path, 'provisionedThroughput']} />
          </Member>
        )
      })}
      <div className="form-row">
        <button
          type="button"
          disabled={!!refusal}
          aria-describedby={refusal ? refusalId : undefined}
          onClick={add}
        >
          Add {noun}
        </button>
        {refusal ? (
          <span id={refusalId} className="form-problem">
            {refusal}
          </span>
        ) : null}
      </div>
    </fieldset>
  )
}

export function TablesForm() {
  const f = useForm()
  const tables = arr(f.draft.tables)
  const add = () => {
    const name = freshName(
      'table-',
      tables.map((t) => t.name),
    )
    f.edit(
      ['tables'],
      [
        ...tables,
        {
          name,
          attributeDefinitions: [
            { attributeName: 'PK', attributeType: 'S' },
            { attributeName: 'SK', attributeType: 'S' },
          ],
          keySchema: [
            { attributeName: 'PK', keyType: 'HASH' },
            { attributeName: 'SK', keyType: 'RANGE' },
          ],
          billingMode: 'PAY_PER_REQUEST',
        },
      ],
    )
  }
  return (
    <section aria-label="Tables" className="form-section">
      <h3>Tables</h3>
      <GroupProblems path={['tables']} />
      {tables.map((table, t) => {
        const path: Path = ['tables', t]
        const provisioned = table.billingMode === 'PROVISIONED'
        const stream = (table.stream ?? {}) as Obj
        return (
          <Member
            key={t}
            title={str(table.name) || `Table ${t + 1}`}
            listPath={['tables']}
            i={t}
            what={`table ${t + 1}`}
          >
            <div className="form-row">
              <TextField
                label="Table name"
                path={[...path, 'name']}
                onText={(text, typing) => f.replace(renameTableInDraft(f.draft, t, text), typing)}
              />
              <TextField label="Table description" path={[...path, 'description']} optional wide />
            </div>
            <KeyFields tablePath={path} keysPath={[...path, 'keySchema']} sortOptional />
            <GroupProblems path={[...path, 'attributeDefinitions']} />
            <div className="form-row">
              <SelectField
                label="Billing"
                path={[...path, 'billingMode']}
                options={[
                  ['PAY_PER_REQUEST', 'On demand'],
                  ['PROVISIONED', 'Provisioned'],
                ]}
                value={str(table.billingMode) || 'PAY_PER_REQUEST'}
                onPick={(v) => {
                  const cap = { readCapacityUnits: 5, writeCapacityUnits: 5 }
                  const next: Obj = { ...table, billingMode: v }
                  if (v === 'PROVISIONED') {
                    next.provisionedThroughput = table.provisionedThroughput ?? cap
                    next.globalSecondaryIndexes = table.globalSecondaryIndexes
                      ? arr(table.globalSecondaryIndexes).map((g) => ({
                          ...g,
                          provisionedThroughput: g.provisionedThroughput ?? cap,
                        }))
                      : undefined
                  } else {
                    delete next.provisionedThroughput
                    if (table.globalSecondaryIndexes)
                      next.globalSecondaryIndexes = arr(table.globalSecondaryIndexes).map(
                        ({ provisionedThroughput: _drop, ...g }) => g,
                      )
                  }
                  if (next.globalSecondaryIndexes === undefined) delete next.globalSecondaryIndexes
                  f.edit(path, next)
                }}
              />
              {provisioned ? (
                <>
                  <NumberField
                    label="Read capacity"
                    path={[...path, 'provisionedThroughput', 'readCapacityUnits']}
                    min={1}
                  />
                  <NumberField
                    label="Write capacity"
                    path={[...path, 'provisionedThroughput', 'writeCapacityUnits']}
                    min={1}
                  />
                </>
              ) : null}
              <SelectField
                label="Stream"
                path={[...path, 'stream', 'viewType']}
                optional="No stream"
                options={[
                  ['NEW_IMAGE', 'New image'],
                  ['OLD_IMAGE', 'Old image'],
                  ['NEW_AND_OLD_IMAGES', 'New and old images'],
                  ['KEYS_ONLY', 'Keys only'],
                ]}
                value={str(stream.viewType)}
                onPick={(v) => f.edit([...path, 'stream'], v ? { viewType: v } : undefined)}
              />
            </div>
            <GroupProblems path={[...path, 'provisionedThroughput']} />
            <IndexList tablePath={path} kind="globalSecondaryIndexes" />
            <IndexList tablePath={path} kind="localSecondaryIndexes" />
          </Member>
        )
      })}
      <button type="button" onClick={add}>
        Add table
      </button>
    </section>
  )
}
