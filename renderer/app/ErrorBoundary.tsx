import { Component, type ErrorInfo, type ReactNode } from 'react'

export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {}

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Tablewright view crashed', error, info.componentStack)
  }

  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="error-note">
          <code className="error-code">renderer.crash</code> {this.state.error.message}
          <div>
            <button type="button" onClick={() => this.setState({ error: undefined })}>
              Try again
            </button>
          </div>
        </div>
      )
    }
    return this.props.children
  }
}
