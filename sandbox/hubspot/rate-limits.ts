/**
 * HubSpot's per-token limits: a rolling ten-second window (190 on Professional/Enterprise), a separate
 * per-second budget for the search API (4/s), and a daily allocation (650,000). Each answer carries
 * the X-HubSpot-RateLimit-* headers; an exhausted policy answers 429 naming it in `policyName`.
 */
export interface HubSpotRateLimitConfig {
  tenSecondly: number;
  windowMs: number;
  searchPerSecond: number;
  daily: number;
}

export const HUBSPOT_PROFESSIONAL_LIMITS: HubSpotRateLimitConfig = { tenSecondly: 190, windowMs: 10_000, searchPerSecond: 4, daily: 650_000 };

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

export interface RateLimitDecision {
  allowed: boolean;
  policy?: RateLimitPolicy;
  headers: Record<string, string>;
}

class RollingWindow {
  private readonly stamps: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? now) <= now - this.windowMs) this.stamps.shift();
  }

  tryTake(now: number): boolean {
    this.prune(now);
    if (this.stamps.length >= this.limit) return false;
    this.stamps.push(now);
    return true;
  }

  remaining(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.stamps.length);
  }
}

export class HubSpotRateLimiter {
  private readonly window: RollingWindow;
  private readonly search: RollingWindow;
  private dayKey = '';
  private usedToday = 0;

  constructor(readonly config: HubSpotRateLimitConfig) {
    this.window = new RollingWindow(config.tenSecondly, config.windowMs);
    this.search = new RollingWindow(config.searchPerSecond, 1000);
  }

  take(kind: 'standard' | 'search', now: number): RateLimitDecision {
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.dayKey) {
      this.dayKey = day;
      this.usedToday = 0;
    }
    if (this.usedToday >= this.config.daily) return { allowed: false, policy: 'DAILY', headers: this.headers(now) };
    const allowed = kind === 'search' ? this.search.tryTake(now) : this.window.tryTake(now);
    if (!allowed) return { allowed: false, policy: kind === 'search' ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING', headers: this.headers(now) };
    this.usedToday++;
    return { allowed: true, headers: this.headers(now) };
  }

  headers(now: number): Record<string, string> {
    const remaining = this.window.remaining(now);
    const secondly = Math.max(1, Math.floor(this.config.tenSecondly / (this.config.windowMs / 1000)));
    return {
      'x-hubspot-ratelimit-daily': String(this.config.daily),
      'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, this.config.daily - this.usedToday)),
      'x-hubspot-ratelimit-interval-milliseconds': String(this.config.windowMs),
      'x-hubspot-ratelimit-max': String(this.config.tenSecondly),
      'x-hubspot-ratelimit-remaining': String(remaining),
      'x-hubspot-ratelimit-secondly': String(secondly),
      'x-hubspot-ratelimit-secondly-remaining': String(Math.min(secondly, remaining)),
    };
  }
}

export const RATE_LIMIT_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};
