import { createContext, useContext, useId, type ReactNode } from 'react'
import {
  arr,
  getIn,
  isObj,
  moveItem,
  pathKey,
  removeAt,
  setEntry,
  str,
  templateValue,
  type Draft,
  type Path,
} from './draft-edit'

/** What every field needs: the draft, a way to change it, and the problems found at a path. */
export interface FormApi {
  draft: Draft
  /**
   * Replaces the value at `path` (undefined removes an optional field). `typing` names the field being typed
   * in: a burst of keystrokes in one field is one undo step, while every other edit is a step of its own.
   */
  edit(path: Path, value: unknown, typing?: Path): void
  /** Replaces the whole draft (edits that reach across parts, such as renaming a table everywhere). */
  replace(draft: Draft, typing?: Path): void
  /** The problems at exactly this path (`tables[0].name`), in words for the user. */
  problems(path: Path): string[]
  /** The problems at this path or below it. */
  problemsUnder(path: Path): string[]
}

export const FormContext = createContext<FormApi | undefined>(undefined)

export function useForm(): FormApi {
  const api = useContext(FormContext)
  if (!api) throw new Error('a model form field outside ModelForms')
  return api
}

/** Problems shown under a field; the field points at them with aria-describedby. */
function Problems({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null
  return (
    <span id={id} className="form-problems">
      {messages.map((m, i) => (
        <span key={i} className="form-problem">
          {m}
        </span>
      ))}
    </span>
  )
}

/** A group's own problems (a list that is too long, a key schema that does not fit), not tied to one input. */
export function GroupProblems({ path, under = false }: { path: Path; under?: boolean }) {
  const f = useForm()
  const id = useId()
  return <Problems id={id} messages={under ? f.problemsUnder(path) : f.problems(path)} />
}

interface FieldProps {
  label: string
  path: Path
  /** Problems of these paths too (e.g. a key's name field shows its key schema's problems). */
  alsoPaths?: Path[]
  hint?: string
}

function useField(props: FieldProps) {
  const f = useForm()
  const id = useId()
  const messages = [props.path, ...(props.alsoPaths ?? [])].flatMap((p) => f.problems(p))
  const described = [messages.length ? `${id}-problems` : '', props.hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ')
  return {
    f,
    id,
    messages,
    aria: {
      'aria-invalid': messages.length > 0 ? true : undefined,
      'aria-describedby': described || undefined,
    },
    after: (
      <>
        {props.hint ? (
          <span id={`${id}-hint`} className="muted small">
            {props.hint}
          </span>
        ) : null}
        <Problems id={`${id}-problems`} messages={messages} />
      </>
    ),
  }
}

/** A text input; `optional` fields are removed from the model when emptied. */
export function TextField(
  props: FieldProps & {
    optional?: boolean
    placeholder?: string
    wide?: boolean
    /** Sets the value some other way than at `path` (keys that keep their definitions in step). */
    onText?: (text: string, typing: Path) => void
    value?: string
  },
) {
  const { f, id, aria, after } = useField(props)
  const value = props.value ?? str(getIn(f.draft, props.path))
  return (
    <span className={`form-field${props.wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        value={value}
        placeholder={props.placeholder}
        {...aria}
        onChange={(e) => {
          const t = e.target.value
          if (props.onText) props.onText(t, props.path)
          else f.edit(props.path, props.optional && t === '' ? undefined : t, props.path)
        }}
      />
      {after}
    </span>
  )
}

/** A whole number; empty removes it. */
export function NumberField(props: FieldProps & { min?: number; max?: number }) {
  const { f, id, aria, after } = useField(props)
  const v = getIn(f.draft, props.path)
  return (
    <span className="form-field narrow">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        min={props.min}
        max={props.max}
        value={typeof v === 'number' ? v : str(v)}
        {...aria}
        onChange={(e) => {
          const t = e.target.value
          f.edit(props.path, t === '' ? undefined : Number.isFinite(Number(t)) ? Number(t) : t, props.path)
        }}
      />
      {after}
    </span>
  )
}

/** A choice; with `optional`, the first option ("none") removes the field. */
export function SelectField(
  props: FieldProps & {
    options: readonly (readonly [string, string])[]
    optional?: string
    onPick?: (value: string) => void
    value?: string
  },
) {
  const { f, id, aria, after } = useField(props)
  const value = props.value ?? str(getIn(f.draft, props.path))
  const known = props.options.some(([v]) => v === value)
  return (
    <span className="form-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={value}
        {...aria}
        onChange={(e) => {
          const v = e.target.value
          if (props.onPick) props.onPick(v)
          else f.edit(props.path, props.optional !== undefined && v === '' ? undefined : v)
        }}
      >
        {props.optional !== undefined ? <option value="">{props.optional}</option> : null}
        {/* A value the draft holds but the options lack (typed in the JSON) stays visible, not silently changed. */}
        {!known && value !== '' ? <option value={value}>{value} (unknown)</option> : null}
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {after}
    </span>
  )
}

export function CheckField(props: FieldProps & { defaultValue: boolean }) {
  const { f, id, aria, after } = useField(props)
  const v = getIn(f.draft, props.path)
  return (
    <span className="form-field check">
      <input
        id={id}
        type="checkbox"
        checked={typeof v === 'boolean' ? v : props.defaultValue}
        {...aria}
        onChange={(e) =>
          f.edit(props.path, e.target.checked === props.defaultValue ? undefined : e.target.checked)
        }
      />
      <label htmlFor={id}>{props.label}</label>
      {after}
    </span>
  )
}

/** A list of names typed with commas between them; empty removes the field. */
export function NameListField(props: FieldProps & { placeholder?: string }) {
  const { f, id, aria, after } = useField(props)
  const v = arr<unknown>(getIn(f.draft, props.path))
  return (
    <span className="form-field wide">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        // Commas typed are kept by re-reading the list as the user types ("a, b, " → ["a", "b", ""]).
        value={v.map(str).join(', ')}
        placeholder={props.placeholder ?? 'name, other_name'}
        {...aria}
        onChange={(e) => {
          const t = e.target.value
          f.edit(
            props.path,
            t.trim() === '' ? undefined : t.split(',').map((x, i) => (i === 0 ? x.trimStart() : x.trim())),
            props.path,
          )
        }}
      />
      {after}
    </span>
  )
}

/** Move up, move down and remove for one member of a list; `what` names it for screen readers ("table 2"). */
export function ItemControls({ listPath, i, what }: { listPath: Path; i: number; what: string }) {
  const f = useForm()
  const list = arr<unknown>(getIn(f.draft, listPath))
  return (
    <span className="item-controls">
      <button
        type="button"
        aria-label={`Move ${what} up`}
        disabled={i === 0}
        onClick={() => f.edit(listPath, moveItem(list, i, -1))}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label={`Move ${what} down`}
        disabled={i === list.length - 1}
        onClick={() => f.edit(listPath, moveItem(list, i, 1))}
      >
        ↓
      </button>
      <button
        type="button"
        aria-label={`Remove ${what}`}
        onClick={() => {
          const next = removeAt(list, i)
          f.edit(listPath, next.length ? next : undefined)
        }}
      >
        Remove
      </button>
    </span>
  )
}

/**
 * A record edited as rows of name and value (key templates, expression values, an item): rows keep their order,
 * a row can be added and removed, and an emptied record is removed from the model.
 */
export function RecordField(props: {
  label: string
  path: Path
  keyLabel: string
  valueLabel: string
  keyPlaceholder?: string
  valuePlaceholder?: string
  newKey?: string
}) {
  const f = useForm()
  const raw = getIn(f.draft, props.path)
  const rec = isObj(raw) ? raw : {}
  const entries = Object.entries(rec)
  const set = (next: Record<string, unknown>, typing?: Path) =>
    f.edit(props.path, Object.keys(next).length ? next : undefined, typing)
  return (
    <fieldset className="form-record">
      <legend>{props.label}</legend>
      {entries.map(([k, v], i) => (
        <div key={i} className="form-row">
          <TextField
            label={`${props.keyLabel} ${i + 1}`}
            path={[...props.path, `#key${i}`]}
            value={k}
            placeholder={props.keyPlaceholder}
            onText={(t, typing) => set(setEntry(rec, i, t, v), typing)}
          />
          <TextField
            label={`${props.valueLabel} ${i + 1}`}
            path={[...props.path, k]}
            value={str(v) || (typeof v === 'boolean' ? String(v) : '')}
            placeholder={props.valuePlaceholder}
            wide
            onText={(t, typing) => set(setEntry(rec, i, k, templateValue(t, v)), typing)}
          />
          <button
            type="button"
            aria-label={`Remove ${props.keyLabel.toLowerCase()} ${i + 1} of ${props.label.toLowerCase()}`}
            onClick={() => set(Object.fromEntries(entries.filter((_, j) => j !== i)))}
          >
            Remove
          </button>
        </div>
      ))}
      <GroupProblems path={props.path} />
      <button
        type="button"
        onClick={() => {
          let n = entries.length + 1
          let key = props.newKey ?? ''
          while (key in rec || key === '') key = `${props.newKey ?? 'name'}${n++}`
          set({ ...rec, [key]: '' })
        }}
      >
        Add {props.keyLabel.toLowerCase()} to {props.label.toLowerCase()}
      </button>
    </fieldset>
  )
}

/** A titled group for one member of a list, with its controls. */
export function Member(props: {
  title: string
  listPath: Path
  i: number
  what: string
  children: ReactNode
}) {
  return (
    <fieldset className="form-member" aria-label={props.what[0]!.toUpperCase() + props.what.slice(1)}>
      <legend>
        {props.title} <ItemControls listPath={props.listPath} i={props.i} what={props.what} />
      </legend>
      {props.children}
    </fieldset>
  )
}

export { pathKey }
