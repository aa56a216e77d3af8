/**
 * Catches a render error in one region of the workbench and shows what broke,
 * instead of React unmounting the whole window to a white screen.
 */
import './ErrorBoundary.css';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { WarningIcon } from '../icons/Icons.js';

interface ErrorBoundaryProps {
  /** Names the region in the message, e.g. "The editor". */
  region: string;
  children: ReactNode;
  onError?: (error: Error, info: ErrorInfo) => void;
}

interface ErrorBoundaryState {
  error: Error | null;
  componentStack: string | null;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, componentStack: null };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.setState({ componentStack: info.componentStack ?? null });
    this.props.onError?.(error, info);
  }

  private readonly reset = () => this.setState({ error: null, componentStack: null });

  override render() {
    const { error, componentStack } = this.state;
    if (!error) return this.props.children;
    const details = [error.stack ?? `${error.name}: ${error.message}`, componentStack ? `\nComponent stack:${componentStack}` : '']
      .join('')
      .trim();
    return (
      <div className="error-boundary" role="alert" data-testid="error-boundary">
        <WarningIcon size={28} className="error-boundary-icon" />
        <p className="error-boundary-title">{this.props.region} stopped working</p>
        <p className="error-boundary-message">{error.message || error.name}</p>
        <div className="error-boundary-actions">
          <button type="button" className="button primary" onClick={this.reset}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload window
          </button>
        </div>
        <details className="error-boundary-details">
          <summary>Technical details</summary>
          <pre>{details}</pre>
        </details>
      </div>
    );
  }
}
