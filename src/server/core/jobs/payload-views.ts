/**
 * What of a job's payload an administrator may see. A payload can hold secrets (a letter carries one-time
 * confirmation and reset links), so a job type that enqueues such data registers a view that keeps only what
 * helps to diagnose it; a job type without a view shows its payload as it is.
 */
const views = new Map<string, (payload: unknown) => unknown>();

export function registerPayloadView(jobName: string, view: (payload: unknown) => unknown): void {
  views.set(jobName, view);
}

export function viewPayload(jobName: string, payload: unknown): unknown {
  const view = views.get(jobName);
  return view ? view(payload) : payload;
}
