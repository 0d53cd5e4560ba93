import { Component, useMemo, type ReactNode } from 'react'
import { modelRuleIssues } from '../../../../shared/domain/model-rules'
import { useAppStore } from '../../../store/store'
import { pathKey, readDraft, setIn, writeDraft, type Draft, type Path } from './draft-edit'
import { FormContext, TextField, type FormApi } from './fields'
import { EntitiesForm, HandlersForm, PatternsForm, RecipesForm } from './PartsForms'
import { TablesForm } from './TablesForm'
import './model-forms.css'

/** Numbers the forms' structural edits (add, remove, move, pick), so none of them merges into another undo step. */
let editCount = 0

/** A draft the forms cannot show safely falls back to a note, never a blank tab. */
class FormsBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error?: Error; key?: string }
> {
  override state: { error?: Error; key?: string } = {}
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key?: string }) {
    return props.resetKey !== state.key ? { error: undefined, key: props.resetKey } : null
  }
  override render() {
    if (this.state.error)
      return (
        <p role="status" className="hint">
          The forms cannot show this draft ({this.state.error.message}). Fix it in the JSON view.
        </p>
      )
    return this.props.children
  }
}

/**
 * Forms over every part of the model. They edit the one draft in the store that the JSON editor edits too, so
 * switching views loses nothing and one undo history covers both. Problems show at their field: DynamoDB's rules
 * in plain words (model-rules), then the model's own validation (`issues`, by field path).
 */
export function ModelForms({ issues }: { issues: readonly { path: string; message: string }[] }) {
  const text = useAppStore((st) => st.modelDraft.text)
  const read = useMemo(() => readDraft(text), [text])
  const api = useMemo<FormApi | undefined>(() => {
    if (!read.ok) return undefined
    const draft = read.draft
    const byPath = new Map<string, string[]>()
    const add = (path: string, message: string) => byPath.set(path, [...(byPath.get(path) ?? []), message])
    const ruled = new Set<string>()
    for (const i of modelRuleIssues(draft)) {
      add(i.path, i.message)
      ruled.add(i.path)
    }
    // Where a rule already says it in plain words, the schema's wording of the same thing is left out.
    for (const i of issues) if (!ruled.has(i.path)) add(i.path, i.message)
    return {
      draft,
      edit: (path: Path, value: unknown, typing?: Path) =>
        useAppStore
          .getState()
          .editModelDraft(
            writeDraft(setIn(draft, path, value)),
            typing ? `typing:${pathKey(typing)}` : `form:${++editCount}`,
          ),
      replace: (next: Draft, typing?: Path) =>
        useAppStore
          .getState()
          .editModelDraft(writeDraft(next), typing ? `typing:${pathKey(typing)}` : `form:${++editCount}`),
      problems: (path: Path) => byPath.get(pathKey(path)) ?? [],
      problemsUnder: (path: Path) => {
        const at = pathKey(path)
        return [...byPath]
          .filter(([p]) => p === at || p.startsWith(`${at}.`) || p.startsWith(`${at}[`))
          .flatMap(([, m]) => m)
      },
    }
  }, [read, issues])

  if (!read.ok || !api)
    return (
      <p role="status" className="hint">
        {read.ok ? '' : read.reason} Fix it in the JSON view; the forms come back once the draft reads as a
        model.
      </p>
    )
  return (
    <FormsBoundary resetKey={text}>
      <FormContext.Provider value={api}>
        <div className="model-forms" aria-label="Model forms" role="form">
          <section aria-label="Name and description" className="form-section">
            <div className="form-row">
              <TextField label="Name of the model" path={['name']} />
              <TextField label="Description of the model" path={['description']} optional wide />
            </div>
          </section>
          <TablesForm />
          <EntitiesForm />
          <PatternsForm />
          <RecipesForm />
          <HandlersForm />
        </div>
      </FormContext.Provider>
    </FormsBoundary>
  )
}
