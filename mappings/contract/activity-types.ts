/**
 * The activities an `activity` predicate may name, and the HubSpot contact properties that record
 * them. HubSpot keeps the latest occurrence (and for some a running count) on the contact itself, so
 * an activity predicate is checked against the same property record as every other predicate.
 */
export const ACTIVITY_TYPES = [
  'form_submission',
  'page_view',
  'meeting_booked',
  'email_open',
  'email_click',
  'email_reply',
  'sales_activity',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface ActivitySource {
  /** Property holding the instant of the latest occurrence. */
  lastAt: string;
  /** Property holding how many occurrences there have been, when HubSpot keeps one. */
  count?: string;
  /** Property holding the name of the latest occurrence (the form's name), when HubSpot keeps one. */
  name?: string;
  /** How the activity reads in a sentence. */
  noun: string;
}

export const ACTIVITY_SOURCES: Record<ActivityType, ActivitySource> = {
  form_submission: { lastAt: 'recent_conversion_date', count: 'num_conversion_events', name: 'recent_conversion_event_name', noun: 'form submission' },
  page_view: { lastAt: 'hs_analytics_last_visit_timestamp', count: 'hs_analytics_num_page_views', noun: 'page view' },
  meeting_booked: { lastAt: 'engagements_last_meeting_booked', noun: 'meeting booked' },
  email_open: { lastAt: 'hs_email_last_open_date', count: 'hs_email_open', noun: 'marketing email opened' },
  email_click: { lastAt: 'hs_email_last_click_date', count: 'hs_email_click', noun: 'marketing email clicked' },
  email_reply: { lastAt: 'hs_sales_email_last_replied', noun: 'reply to a sales email' },
  sales_activity: { lastAt: 'hs_last_sales_activity_timestamp', noun: 'logged sales activity' },
};

/** Every property an activity predicate reads: these are observable by construction. */
export function activityProperties(): string[] {
  return Object.values(ACTIVITY_SOURCES).flatMap((s) => [s.lastAt, s.count, s.name].filter((p): p is string => p !== undefined));
}
