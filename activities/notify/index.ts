/** Alerts to reps and RevOps (Slack, Teams, email) and the signed accept/reject links they carry. Other folders import from here only. */
export { alertMessageFor } from './alert-message';
export { type BlockedAlertInput, blockedAlertMessage, sendBlockedAlert } from './blocked-alert';
export { createNotifier, emailBody, NOTIFY_FAILED, slackBody, teamsBody } from './notifier';
export { type ActionTokenPayload, actionUrls, signActionToken, verifyActionToken } from './signed-links';
