import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, NOTIFY_FAILED } from '../activities/notify';
import type { AlertMessage } from '../activities/ports';

const LEAD_EMAIL = 'jane.doe@acme-example.com';
const REP_EMAIL = 'rep.one@sales-example.com';
const message: AlertMessage = {
  title: 'New MQL for you: Acme Corp',
  facts: [
    { label: 'Company', value: 'Acme Corp' },
    { label: 'Lead email', value: LEAD_EMAIL },
    { label: 'Source', value: 'Webinar <Q1>' },
  ],
  deadline: '2026-03-02T17:00:00.000Z',
  acceptUrl: 'https://bridge.example.com/actions/accept-token.sig',
  rejectUrl: 'https://bridge.example.com/actions/reject-token.sig',
  kind: 'alert',
};

interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

describe('webhook channels', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  /** Status to answer per path; 200 when absent. */
  const statuses = new Map<string, { status: number; headers?: Record<string, string> }>();

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        received.push({ path, contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        const answer = statuses.get(path) ?? { status: 200 };
        res.writeHead(answer.status, answer.headers).end(answer.status === 200 ? 'ok' : `error for ${path}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
    statuses.clear();
  });

  const notifier = () => createNotifier({ from: 'bridge@example.com' });

  async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(ApplicationFailure);
      return err as ApplicationFailure;
    }
    throw new Error('expected the send to fail');
  }

  it('posts a Slack Block Kit message with facts, deadline and link buttons', async () => {
    const result = await notifier().send({ channel: 'slack', target: `${base}/services/T0/B0/secret`, message });
    expect(Number.isNaN(Date.parse(result.deliveredAt))).toBe(false);
    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post?.contentType).toBe('application/json');
    const body = post?.body as { text: string; blocks: Array<Record<string, unknown>> };
    expect(body.text).toContain('New MQL for you: Acme Corp');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.title } });
    const factsBlock = body.blocks.find((b) => Array.isArray(b.fields)) as { fields: Array<{ type: string; text: string }> };
    expect(factsBlock.fields).toContainEqual({ type: 'mrkdwn', text: '*Source*\nWebinar &lt;Q1&gt;' });
    expect(JSON.stringify(body.blocks)).toContain('2026-03-02 17:00 UTC');
    const actions = body.blocks.find((b) => b.type === 'actions') as { elements: Array<{ type: string; url: string; text: { text: string } }> };
    expect(actions.elements.map((e) => [e.type, e.text.text, e.url])).toEqual([
      ['button', 'Accept', message.acceptUrl],
      ['button', 'Reject', message.rejectUrl],
    ]);
  });

  it('posts a Teams message carrying an Adaptive Card with a fact set and open-URL actions', async () => {
    await notifier().send({ channel: 'teams', target: `${base}/webhookb2/secret`, message });
    const body = received[0]?.body as { type: string; attachments: Array<{ contentType: string; content: Record<string, unknown> }> };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const card = body.attachments[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const cardBody = card?.content.body as Array<{ type: string; facts?: Array<{ title: string; value: string }> }>;
    expect(cardBody.find((b) => b.type === 'FactSet')?.facts).toEqual(message.facts.map((f) => ({ title: f.label, value: f.value })));
    expect(card?.content.actions).toEqual([
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Accept', url: message.acceptUrl }),
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Reject', url: message.rejectUrl }),
    ]);
  });

  it('fails retryably on 5xx without putting the webhook URL in the message', async () => {
    const secretPath = '/services/T0/B0/very-secret-path';
    statuses.set(secretPath, { status: 503 });
    const failure = await failureOf(notifier().send({ channel: 'slack', target: `${base}${secretPath}`, message }));
    expect(failure.type).toBe(NOTIFY_FAILED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('slack webhook answered HTTP 503');
    expect(failure.message).not.toContain('very-secret-path');
  });

  it('fails retryably on 429 with the delay the webhook asked for', async () => {
    statuses.set('/limited', { status: 429, headers: { 'retry-after': '7' } });
    const failure = await failureOf(notifier().send({ channel: 'teams', target: `${base}/limited`, message }));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7000);
  });

  it('fails non-retryably on 4xx (a deleted webhook does not come back)', async () => {
    statuses.set('/gone', { status: 404 });
    const failure = await failureOf(notifier().send({ channel: 'slack', target: `${base}/gone`, message }));
    expect(failure.type).toBe(NOTIFY_FAILED);
    expect(failure.nonRetryable).toBe(true);
  });

  it('fails retryably when the webhook host is unreachable, without naming it', async () => {
    const failure = await failureOf(notifier().send({ channel: 'slack', target: 'http://127.0.0.1:1/hook-secret', message }));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).not.toContain('hook-secret');
    expect(failure.message).not.toContain('127.0.0.1');
  });
});

describe('email channel', () => {
  let smtp: SMTPServer;
  let smtpUrl: string;
  const mails: Array<{ to: string[]; raw: string }> = [];
  const refuse = new Map<string, number>();

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = refuse.get(address.address);
        if (code) return callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: code }));
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  /** Undoes quoted-printable soft breaks and escapes so long URLs can be matched. */
  const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

  it('sends a text and HTML email with the facts and both links', async () => {
    const notifier = createNotifier({ smtpUrl, from: 'bridge@example.com' });
    await notifier.send({ channel: 'email', target: REP_EMAIL, message });
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toEqual([REP_EMAIL]);
    const raw = unfold(mail.raw);
    expect(raw).toContain('Subject: [New lead assigned] New MQL for you: Acme Corp');
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toContain(`Accept: ${message.acceptUrl}`);
    expect(raw).toContain(`<a href="${message.rejectUrl}">Reject</a>`);
    expect(raw).toContain('Webinar &lt;Q1&gt;');
  });

  it('fails non-retryably on a permanent SMTP refusal without quoting the address', async () => {
    refuse.set('gone@sales-example.com', 550);
    const notifier = createNotifier({ smtpUrl, from: 'bridge@example.com' });
    const failure = await notifier.send({ channel: 'email', target: 'gone@sales-example.com', message }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe(NOTIFY_FAILED);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).not.toContain('gone@sales-example.com');
  });

  it('fails retryably on a temporary SMTP refusal', async () => {
    refuse.set('busy@sales-example.com', 451);
    const notifier = createNotifier({ smtpUrl, from: 'bridge@example.com' });
    const failure = await notifier.send({ channel: 'email', target: 'busy@sales-example.com', message }).catch((err: unknown) => err);
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
  });

  it('refuses email non-retryably when SMTP is not configured', async () => {
    const failure = await createNotifier({ from: 'bridge@example.com' }).send({ channel: 'email', target: REP_EMAIL, message }).catch((err: unknown) => err);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).not.toContain(REP_EMAIL);
  });
});
