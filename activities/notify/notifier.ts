/**
 * Delivers rep alerts on three channels: Slack incoming webhooks (Block Kit), Microsoft Teams
 * incoming webhooks (an Adaptive Card in a message attachment) and email over SMTP (text + HTML).
 *
 * Failures become ApplicationFailure type 'NotifyFailed': retryable for 5xx, 429 and network errors,
 * non-retryable for other 4xx (a deleted webhook does not come back by retrying). Messages name the
 * channel and status only: webhook URLs are credentials and the recipient's address is personal data.
 */
import { ApplicationFailure } from '@temporalio/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { AlertChannel, AlertMessage, Notifier } from '../ports';

export const NOTIFY_FAILED = 'NotifyFailed';

export interface NotifierOptions {
  /** smtp(s)://user:pass@host:port; email alerts fail non-retryably when unset. */
  smtpUrl?: string;
  fetchImpl?: typeof fetch;
  /** Sender address for email alerts. */
  from: string;
  /** Per-request timeout for webhook posts. */
  timeoutMs?: number;
}

const KIND_LABEL: Record<AlertMessage['kind'], string> = {
  alert: 'New lead assigned',
  reminder: 'Reminder: acceptance due soon',
  breach: 'SLA breached',
  blocked: 'Handoff blocked: a CRM refused a write',
};

/** The line under the facts: the deadline for a rep, the fix for RevOps. */
function closingLine(message: AlertMessage): { label: string; value: string } {
  return message.kind === 'blocked' ? { label: 'Fix', value: message.fix } : { label: 'Accept by', value: formatDeadline(message.deadline) };
}

function summaryText(message: AlertMessage): string {
  return message.kind === 'blocked' ? `${message.title} (fix: ${message.fix})` : `${message.title} (accept by ${formatDeadline(message.deadline)})`;
}

function formatDeadline(deadline: string): string {
  const date = new Date(deadline);
  return Number.isNaN(date.getTime()) ? deadline : `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** Slack Block Kit: header, facts as fields, deadline, and link buttons (no Slack app needed). */
export function slackBody(message: AlertMessage): object {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    text: summaryText(message),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: message.title.slice(0, 150) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: KIND_LABEL[message.kind] }] },
      // Slack allows at most 10 fields per section.
      ...chunk(message.facts, 10).map((facts) => ({
        type: 'section',
        fields: facts.map((fact) => ({ type: 'mrkdwn', text: `*${escape(fact.label)}*\n${escape(fact.value)}` })),
      })),
      { type: 'section', text: { type: 'mrkdwn', text: `*${closingLine(message).label}:* ${escape(closingLine(message).value)}` } },
      ...(message.kind === 'blocked'
        ? []
        : [
            {
              type: 'actions',
              elements: [
                { type: 'button', text: { type: 'plain_text', text: 'Accept' }, style: 'primary', url: message.acceptUrl, action_id: 'accept' },
                { type: 'button', text: { type: 'plain_text', text: 'Reject' }, style: 'danger', url: message.rejectUrl, action_id: 'reject' },
              ],
            },
          ]),
    ],
  };
}

/** Teams incoming webhook: a message whose attachment is an Adaptive Card. */
export function teamsBody(message: AlertMessage): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: KIND_LABEL[message.kind], isSubtle: true, spacing: 'None', wrap: true },
            { type: 'FactSet', facts: message.facts.map((fact) => ({ title: fact.label, value: fact.value })) },
            { type: 'TextBlock', text: `${closingLine(message).label}: ${closingLine(message).value}`, wrap: true },
          ],
          actions:
            message.kind === 'blocked'
              ? []
              : [
                  { type: 'Action.OpenUrl', title: 'Accept', url: message.acceptUrl, style: 'positive' },
                  { type: 'Action.OpenUrl', title: 'Reject', url: message.rejectUrl, style: 'destructive' },
                ],
        },
      },
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function emailBody(message: AlertMessage): { subject: string; text: string; html: string } {
  const closing = closingLine(message);
  const links = message.kind === 'blocked' ? [] : [`Accept: ${message.acceptUrl}`, `Reject: ${message.rejectUrl}`];
  const text = [
    message.title,
    KIND_LABEL[message.kind],
    '',
    ...message.facts.map((fact) => `${fact.label}: ${fact.value}`),
    '',
    `${closing.label}: ${closing.value}`,
    ...links,
  ].join('\n');
  const rows = message.facts.map((fact) => `<tr><th align="left">${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`);
  const html = [
    `<h2>${escapeHtml(message.title)}</h2>`,
    `<p>${escapeHtml(KIND_LABEL[message.kind])}</p>`,
    `<table>${rows.join('')}</table>`,
    `<p><strong>${escapeHtml(closing.label)}:</strong> ${escapeHtml(closing.value)}</p>`,
    ...(message.kind === 'blocked'
      ? []
      : [`<p><a href="${escapeHtml(message.acceptUrl)}">Accept</a> &nbsp; <a href="${escapeHtml(message.rejectUrl)}">Reject</a></p>`]),
  ].join('\n');
  return { subject: `[${KIND_LABEL[message.kind]}] ${message.title}`, text, html };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function notifyFailed(message: string, retryable: boolean, nextRetryDelayMs?: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: NOTIFY_FAILED,
    message,
    nonRetryable: !retryable,
    nextRetryDelay: nextRetryDelayMs,
  });
}

const webhookUrl = z.url({ protocol: /^https?$/ });
const emailAddress = z.email();

export function createNotifier(options: NotifierOptions): Notifier {
  const fetchImpl = options.fetchImpl ?? fetch;
  let transport: Transporter | undefined;

  async function postWebhook(channel: 'slack' | 'teams', target: string, body: object): Promise<void> {
    if (!webhookUrl.safeParse(target).success) throw notifyFailed(`${channel} target is not an http(s) webhook URL`, false);
    let response: Response;
    try {
      response = await fetchImpl(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch {
      // The underlying error names the host and sometimes the URL: keep it out of history.
      throw notifyFailed(`${channel} webhook unreachable`, true);
    }
    // Drain the body so the connection is released; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const status = response.status;
    const retryable = status === 429 || status >= 500 || status === 408;
    throw notifyFailed(`${channel} webhook answered HTTP ${status}`, retryable, status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined);
  }

  async function sendEmail(target: string, message: AlertMessage): Promise<void> {
    if (!options.smtpUrl) throw notifyFailed('email channel is not configured (SMTP_URL unset)', false);
    if (!emailAddress.safeParse(target).success) throw notifyFailed('email target is not an email address', false);
    transport ??= nodemailer.createTransport(options.smtpUrl);
    try {
      await transport.sendMail({ from: options.from, to: target, ...emailBody(message) });
    } catch (err) {
      // SMTP replies quote the recipient ("<jane@…>: mailbox unavailable"); only the code travels.
      const code = (err as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number') throw notifyFailed(`SMTP server refused the message (${code})`, code < 500);
      throw notifyFailed('SMTP server unreachable', true);
    }
  }

  return {
    async send({ channel, target, message }: { channel: AlertChannel; target: string; message: AlertMessage }) {
      if (channel === 'slack') await postWebhook('slack', target, slackBody(message));
      else if (channel === 'teams') await postWebhook('teams', target, teamsBody(message));
      else await sendEmail(target, message);
      return { deliveredAt: new Date().toISOString() };
    },
  };
}
