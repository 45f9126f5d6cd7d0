import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: SMTP when SMTP_URL is set; otherwise the log (demo and development). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.#transport = nodemailer.createTransport(smtpUrl);
  }
  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.from, ...message });
  }
  close(): void {
    this.#transport.close();
  }
}

export class LogMailer implements Mailer {
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async send(message: MailMessage): Promise<void> {
    this.log.info({ mail: message }, `mail to ${message.to} (no SMTP_URL set, logged instead): ${message.subject}`);
  }
  close(): void {}
}

export function createMailer(smtpUrl: string | undefined, publicUrl: string, log: Pick<FastifyBaseLogger, 'info'>): Mailer {
  const host = new URL(publicUrl).hostname;
  return smtpUrl
    ? new SmtpMailer(smtpUrl, `Отклик <no-reply@${host.includes('.') ? host : `${host}.local`}>`)
    : new LogMailer(log);
}
