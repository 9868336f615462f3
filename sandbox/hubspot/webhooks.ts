/**
 * Webhook delivery as HubSpot does it: property changes on subscribed properties become
 * `contact.propertyChange` events, batched (≤ 100 a request) and POSTed with a v3 signature.
 * A connection failure, a timeout, a 5xx or a 429 is retried with growing delays (attemptNumber
 * counts up); any other 4xx is dropped.
 */
import type { ChangeSource, PropertyChange } from './contact-store';
import { signatureV3 } from './signature';

export interface WebhookSubscription {
  id: number;
  propertyName: string;
}

export interface WebhookConfig {
  targetUrl: string;
  subscriptions: WebhookSubscription[];
  appId?: number;
  maxBatchSize?: number;
  /** How long events gather before a batch is sent. */
  batchWindowMs?: number;
  maxAttempts?: number;
  /** First retry delay; each retry doubles it (HubSpot spreads 10 attempts over 24 h). */
  retryBaseMs?: number;
  requestTimeoutMs?: number;
}

export interface PropertyChangeEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: 'contact.propertyChange';
  attemptNumber: number;
  objectId: number;
  propertyName: string;
  propertyValue: string;
  changeSource: ChangeSource;
}

export interface WebhookStats {
  delivered: number;
  failedAttempts: number;
  dropped: number;
  /** Events queued or in a request not yet answered. */
  pending: number;
}

export interface WebhookDispatcher {
  configure(config: WebhookConfig | undefined): void;
  enqueue(changes: PropertyChange[]): void;
  stats(): WebhookStats;
  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void>;
  stop(): void;
}

export function createWebhookDispatcher(options: { portalId: number; clientSecret: string; config?: WebhookConfig }): WebhookDispatcher {
  let config = options.config;
  let queue: PropertyChangeEvent[] = [];
  let nextEventId = 1;
  let batchTimer: NodeJS.Timeout | undefined;
  const retryTimers = new Set<NodeJS.Timeout>();
  /** Events in requests not yet answered. */
  let inFlight = 0;
  let stopped = false;
  const counters = { delivered: 0, failedAttempts: 0, dropped: 0 };
  let idleWaiters: Array<() => void> = [];

  const busy = (): boolean => queue.length > 0 || inFlight > 0 || retryTimers.size > 0 || batchTimer !== undefined;
  const settle = (): void => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const send = async (events: PropertyChangeEvent[], attempt: number): Promise<void> => {
    if (!config || stopped) return;
    const target = config;
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
    const timestamp = Date.now();
    const signature = signatureV3({ clientSecret: options.clientSecret, method: 'POST', uri: target.targetUrl, body, timestamp });
    let retry = false;
    inFlight += events.length;
    try {
      const response = await fetch(target.targetUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'HubSpot Webhooks',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': String(timestamp),
        },
        body,
        signal: AbortSignal.timeout(target.requestTimeoutMs ?? 5000),
      });
      await response.arrayBuffer();
      if (response.ok) counters.delivered += events.length;
      else if (response.status >= 500 || response.status === 429) retry = true;
      else counters.dropped += events.length;
    } catch {
      retry = true;
    } finally {
      inFlight -= events.length;
    }
    if (retry) {
      counters.failedAttempts++;
      if (attempt + 1 >= (target.maxAttempts ?? 10)) counters.dropped += events.length;
      else scheduleRetry(events, attempt + 1, (target.retryBaseMs ?? 60_000) * 2 ** attempt);
    }
    settle();
  };

  const scheduleRetry = (events: PropertyChangeEvent[], attempt: number, delayMs: number): void => {
    if (stopped) return;
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      void send(events, attempt);
    }, delayMs);
    retryTimers.add(timer);
  };

  const flush = (): void => {
    batchTimer = undefined;
    const size = config?.maxBatchSize ?? 100;
    while (queue.length > 0) void send(queue.splice(0, size), 0);
    settle();
  };

  return {
    configure(next) {
      config = next;
    },
    enqueue(changes) {
      if (!config || stopped) return;
      const subscribed = new Map(config.subscriptions.map((s) => [s.propertyName, s.id]));
      for (const change of changes) {
        const subscriptionId = subscribed.get(change.propertyName);
        if (subscriptionId === undefined) continue;
        queue.push({
          eventId: nextEventId++,
          subscriptionId,
          portalId: options.portalId,
          appId: config.appId ?? 1,
          occurredAt: change.occurredAt,
          subscriptionType: 'contact.propertyChange',
          attemptNumber: 0,
          objectId: Number(change.contactId),
          propertyName: change.propertyName,
          propertyValue: change.value ?? '',
          changeSource: change.source,
        });
      }
      if (queue.length > 0 && batchTimer === undefined) batchTimer = setTimeout(flush, config.batchWindowMs ?? 100);
    },
    stats: () => ({ ...counters, pending: queue.length + inFlight }),
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settle();
      }),
    stop() {
      stopped = true;
      if (batchTimer) clearTimeout(batchTimer);
      batchTimer = undefined;
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      queue = [];
      settle();
    },
  };
}
