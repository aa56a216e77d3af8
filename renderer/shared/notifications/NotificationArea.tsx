/**
 * The bottom-right corner: progress cards for long operations (with Cancel)
 * above the toasts that report failures and results.
 */
import './NotificationArea.css';
import { CloseIcon, WarningIcon } from '../icons/Icons.js';
import type { Jobs } from '../jobs/Jobs.js';
import { percent, transferText } from '../util/format.js';
import { useObservable } from '../util/Observable.js';
import type { Notifications } from './Notifications.js';

export function NotificationArea({ notifications, jobs }: { notifications: Notifications; jobs: Jobs }) {
  const toasts = useObservable(notifications.toasts);
  const running = useObservable(jobs.visible);
  if (toasts.length === 0 && running.length === 0) return null;
  return (
    <div className="notification-area" data-testid="notifications">
      {running.map((job) => {
        const pct = percent(job.done, job.total);
        return (
          <div key={job.id} className="job-card" data-testid="job" role="status" aria-label={job.label}>
            <div className="job-text">
              <span className="job-label">{job.label}</span>
              <span className="job-percent">{job.cancelled ? 'Cancelling…' : pct === null ? '' : `${pct}%`}</span>
            </div>
            {job.step && job.step !== job.label && <div className="job-step">{job.step}</div>}
            {job.bytes && !job.cancelled && transferText(job) && <div className="job-step">{transferText(job)}</div>}
            <div className="job-row">
              <div className={`progress${pct === null ? ' indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
                <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
              </div>
              {job.cancellable && (
                <button type="button" className="button small" onClick={() => jobs.cancel(job.id)} disabled={job.cancelled} data-testid="job-cancel">
                  Cancel
                </button>
              )}
            </div>
          </div>
        );
      })}
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}>
          {(toast.kind === 'error' || toast.kind === 'warning') && <WarningIcon size={16} className="toast-icon" />}
          <div className="toast-text">
            <p className="toast-title">
              {toast.title}
              {toast.count > 1 && (
                <span className="toast-count" aria-label={`${toast.count} times`} data-testid="toast-count">
                  {' '}×{toast.count}
                </span>
              )}
            </p>
            {toast.detail && <p className="toast-detail">{toast.detail}</p>}
            {toast.hint && <p className="toast-hint">{toast.hint}</p>}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => notifications.dismiss(toast.id)}>
            <CloseIcon size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
