import type { CommandContext } from '../context.ts';
import { enqueue, type JobDb, type JobRunner, type NewJob, registerPayloadView } from '../jobs/index.ts';
import type { Mailer, MailMessage } from './mailer.ts';

export const MAIL_JOB = 'mail.send';

// The text carries one-time links: administrators see whom a letter is for and what it is about, never the links.
registerPayloadView(MAIL_JOB, (payload) => {
  const { to, subject } = payload as Partial<MailMessage>;
  return { to, subject };
});

/**
 * Queues a letter in the caller's transaction: it goes out only if the change that caused it commits, and an
 * SMTP outage delays it (retries with backoff, then the dead letter an admin can retry) instead of failing the
 * resident's request or losing the letter. The payload holds the link until the job is purged after delivery.
 */
export function enqueueMail(db: JobDb, ctx: CommandContext, message: MailMessage) {
  return enqueue(db, MAIL_JOB, message, { now: ctx.now, maxAttempts: 8 });
}

/** The same letter as a job for `enqueueMany` (a batch of changes queues its letters in one statement). */
export function mailJob(ctx: CommandContext, message: MailMessage): NewJob {
  return { name: MAIL_JOB, payload: message, options: { now: ctx.now, maxAttempts: 8 } };
}

export function registerMailJob(runner: JobRunner, mailer: Mailer): void {
  runner.register<MailMessage>(MAIL_JOB, (message) => mailer.send(message));
}
