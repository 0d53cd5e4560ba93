import { useId, useRef, useState, type KeyboardEvent } from 'react'

/** A pattern's or recipe's parameter, as the model declares it (the fields this field needs). */
export interface ParamFieldSpec {
  name: string
  type: string
  format?: string
  description?: string
  default?: string | number
  required?: boolean
  /** Bound to an attribute: suggestions come from the table's items. */
  bind?: { attribute: string; label?: string; companions?: Record<string, string> }
}

export interface ParamSuggestion {
  value: string | number
  label?: string
  companions?: Record<string, string | number>
}

export interface ParamFieldProps {
  param: ParamFieldSpec
  value: string
  onChange(value: string): void
  /** A suggestion was picked: the other parameters it fills (parameter → value), from the same item. */
  onCompanions?(values: Record<string, string>): void
  /** Loads suggestions for a bound parameter (asked once, on first focus; filtered here as the user types). */
  loadSuggestions?(): Promise<ParamSuggestion[]>
  /** Shown in place of the parameter's description as the input's placeholder. */
  placeholder?: string
}

const MAX_SHOWN = 50

/**
 * One parameter: its label, an input, and for a parameter bound to an attribute a list of values drawn from the
 * table (WAI-ARIA combobox: ↓/↑ move, Enter picks, Escape closes), so nobody types a raw uuid. Picking a value
 * also fills its companion parameters.
 */
export function ParamField({
  param,
  value,
  onChange,
  onCompanions,
  loadSuggestions,
  placeholder,
}: ParamFieldProps) {
  const id = useId()
  const listId = `${id}-suggestions`
  const [all, setAll] = useState<ParamSuggestion[] | undefined>()
  const [loadError, setLoadError] = useState<string | undefined>()
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const loading = useRef(false)
  const suggestible = Boolean(loadSuggestions && param.bind)

  const load = () => {
    if (!suggestible || all || loading.current) return
    loading.current = true
    loadSuggestions!()
      .then((s) => {
        setAll(s)
        setLoadError(undefined)
      })
      .catch((err: unknown) => {
        const e = err as { code?: string; message?: string }
        setLoadError(`${e.code ?? 'error'}: ${e.message ?? String(err)}`)
      })
      .finally(() => {
        loading.current = false
      })
  }

  const text = value.trim().toLowerCase()
  // A value picked (or typed in full) shows the whole list again, so another one is one ↓ away.
  const exact = all?.some((s) => String(s.value).toLowerCase() === text)
  const shown = (all ?? [])
    .filter(
      (s) =>
        !text ||
        exact ||
        String(s.value).toLowerCase().includes(text) ||
        s.label?.toLowerCase().includes(text),
    )
    .slice(0, MAX_SHOWN)
  const expanded = open && shown.length > 0

  const pick = (s: ParamSuggestion) => {
    onChange(String(s.value))
    if (s.companions && onCompanions)
      onCompanions(Object.fromEntries(Object.entries(s.companions).map(([k, v]) => [k, String(v)])))
    setOpen(false)
    setActive(-1)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!suggestible) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      load()
      if (!open) {
        setOpen(true)
        setActive(e.key === 'ArrowDown' ? 0 : shown.length - 1)
        return
      }
      const n = shown.length
      if (n) setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i - 1 + n) % n))
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && expanded && active >= 0 && shown[active]) {
      // Enter picks the highlighted value instead of submitting the form.
      e.preventDefault()
      pick(shown[active])
    } else if (e.key === 'Escape' && open) {
      e.preventDefault()
      setOpen(false)
      setActive(-1)
    }
  }

  return (
    <div className="field-row param-field">
      <label htmlFor={id}>
        {param.name}{' '}
        <span className="muted small">
          ({param.type}
          {param.required === false ? ', optional' : ''})
        </span>
      </label>
      <span className="param-input">
        <input
          id={id}
          type={param.type === 'number' ? 'number' : 'text'}
          value={value}
          placeholder={placeholder ?? param.description ?? (param.format ? param.format : undefined)}
          autoComplete="off"
          {...(suggestible
            ? {
                role: 'combobox',
                'aria-autocomplete': 'list' as const,
                'aria-expanded': expanded,
                'aria-controls': listId,
                'aria-activedescendant': expanded && active >= 0 ? `${listId}-${active}` : undefined,
              }
            : {})}
          onFocus={() => {
            load()
            setOpen(true)
          }}
          onBlur={() => {
            setOpen(false)
            setActive(-1)
          }}
          onChange={(e) => {
            onChange(e.target.value)
            setOpen(true)
            setActive(-1)
          }}
          onKeyDown={onKeyDown}
        />
        {suggestible ? (
          <ul id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
            {expanded
              ? shown.map((s, i) => (
                  <li
                    key={`${typeof s.value}:${s.value}`}
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? 'suggestion active' : 'suggestion'}
                    // Keep focus in the input: a blur would close the list before the click lands.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => pick(s)}
                  >
                    {s.label ? <span className="suggestion-label">{s.label}</span> : null}
                    <code className="suggestion-value small">{String(s.value)}</code>
                  </li>
                ))
              : null}
          </ul>
        ) : null}
      </span>
      {param.description ? <span className="muted small">{param.description}</span> : null}
      {loadError ? <span className="muted small">No suggestions ({loadError})</span> : null}
    </div>
  )
}
