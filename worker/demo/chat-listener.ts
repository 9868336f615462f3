/**
 * A local stand-in for Slack's incoming webhooks: the demo contract sends each rep's alerts to
 * `<url>/slack/<rep index>` and breach notices to `<url>/slack/manager`. Every message is handed to
 * the subscribers (the simulated reps, the progress counters) with the accept/reject links it carries.
 */
import Fastify from 'fastify';

export type ChatMessageKind = 'alert' | 'reminder' | 'breach';

export interface ChatMessage {
  /** The rep's index in the contract's routing, or undefined for the managers' channel. */
  repIndex?: number;
  kind: ChatMessageKind;
  acceptUrl?: string;
  rejectUrl?: string;
}

export interface ChatListener {
  url: string;
  counts(): Record<ChatMessageKind, number>;
  subscribe(listener: (message: ChatMessage) => void): void;
  close(): Promise<void>;
}

/** Slack's Block Kit body: the header block's title tells the kind, the buttons carry the links. */
function read(body: unknown): Omit<ChatMessage, 'repIndex'> {
  const text = JSON.stringify(body ?? {});
  const urls = [...text.matchAll(/https?:\/\/[^"\\\s]+\/actions\/[A-Za-z0-9._-]+/g)].map((m) => m[0]);
  const kind: ChatMessageKind = /"Reminder:/.test(text) ? 'reminder' : /"SLA missed:/.test(text) ? 'breach' : 'alert';
  return { kind, acceptUrl: urls[0], rejectUrl: urls[1] };
}

export async function startChatListener(): Promise<ChatListener> {
  const listeners: Array<(message: ChatMessage) => void> = [];
  const counts: Record<ChatMessageKind, number> = { alert: 0, reminder: 0, breach: 0 };
  const app = Fastify();
  app.post<{ Params: { channel: string } }>('/slack/:channel', async (request) => {
    const channel = request.params.channel;
    const message: ChatMessage = { ...read(request.body), ...(/^\d+$/.test(channel) ? { repIndex: Number(channel) } : {}) };
    counts[message.kind] += 1;
    for (const listener of listeners) listener(message);
    // Slack answers a plain "ok".
    return 'ok';
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    counts: () => ({ ...counts }),
    subscribe: (listener) => void listeners.push(listener),
    close: () => app.close(),
  };
}
